// thrift-call encode TYPE [JSON]: one value serialized as TSerializer would.
#include <cstdio>
#include <memory>

#include "base/error.h"
#include "base/hex.h"
#include "cli/options.h"
#include "core/codec/codec.h"
#include "core/user_input/json_input.h"
#include "core/user_input/mapped_text.h"

namespace thrift_call::cli {

namespace {
struct EncodeOptions {
  std::string type;
  std::string json = "-";
  std::string protocol = "binary";
  bool hex = false;
};
}  // namespace

void add_encode_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("encode", "Serialize one value (a struct, as TSerializer does) from JSON");
  auto options = std::make_shared<EncodeOptions>();
  command->add_option("TYPE", options->type, "a struct, union, exception, enum or typedef; `raw` for raw notation")
      ->required();
  command->add_option("JSON", options->json, "the value: JSON text, @file, or - for stdin")->capture_default_str();
  command->add_option("-p,--protocol", options->protocol, "binary, compact or json")
      ->check(CLI::IsMember({"binary", "compact", "json"}))
      ->capture_default_str();
  command->add_flag("--hex", options->hex, "write hex text instead of raw bytes");
  add_idl_options(*command, global);
  command->footer(
      "Examples:\n"
      "  thrift-call encode Person '{\"name\":\"Ann\",\"age\":30}' --idl examples/person.thrift --hex\n"
      "  thrift-call encode raw '{\"1:string\":\"Ann\",\"2:i32\":30}' --protocol compact --hex");
  command->callback([&global, options] {
    idl::Schema schema;
    const idl::Type* type = find_type_or_raw(global, options->type, schema);
    // Streamed from the text (a file mapped, not copied): no tree of it is built.
    MappedText input = MappedText::from_argument(options->json);
    std::string bytes;
    // Wire bytes are seldom more than their JSON: one allocation, whose
    // pages count only once written.
    bytes.reserve(input.text().size());
    try {
      codec::serialize(*codec::parse_protocol_kind(options->protocol), type, input.padded(), bytes);
    } catch (const nlohmann::json::exception&) {
      rethrow_json_error(input.text(), "argument");
    }
    if (options->hex) {
      print(to_hex(bytes));
    } else {
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    }
  });
}

}  // namespace thrift_call::cli
