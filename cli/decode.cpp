// thrift-call decode --type TYPE [FILE]: one serialized value back to JSON.
// (The wire-dump decoder for messages and captures will extend this verb.)
#include <iostream>
#include <memory>

#include "cli/options.h"
#include "core/codec/codec.h"
#include "core/hex.h"
#include "core/json_input.h"
#include "idl/error.h"

namespace thrift_call::cli {

namespace {
struct DecodeOptions {
  std::string type = "raw";
  std::string file = "-";
  std::string protocol = "auto";
  std::string input = "auto";
  int max_depth = protocol::ReadLimits{}.max_depth;
  std::string invalid_utf8 = "replace";
};
}  // namespace

void add_decode_command(CLI::App& app, GlobalOptions& global) {
  auto* command = app.add_subcommand("decode", "Decode one serialized value (as TDeserializer reads it) to JSON");
  auto options = std::make_shared<DecodeOptions>();
  command->add_option("FILE", options->file, "the bytes: a file, or - for stdin")->capture_default_str();
  command->add_option("-t,--type", options->type, "the type to read; raw (the default) needs no IDL")
      ->type_name(value_name::kType)
      ->capture_default_str();
  command->add_option("-p,--protocol", options->protocol, "binary, compact, json or auto")
      ->check(CLI::IsMember({"binary", "compact", "json", "auto"}))
      ->capture_default_str();
  command->add_option("--input", options->input, "raw bytes, hex text, or auto (hex if the file is only hex digits)")
      ->check(CLI::IsMember({"raw", "hex", "auto"}))
      ->capture_default_str();
  command->add_option("--max-depth", options->max_depth, "deepest nesting of structs and containers accepted")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command->add_option("--invalid-utf8", options->invalid_utf8,
                      "strings that are not UTF-8: replace (U+FFFD per bad byte) or latin1 (bytes kept as \\u00XX)")
      ->check(CLI::IsMember({"replace", "latin1"}))
      ->capture_default_str();
  add_idl_options(*command, global);
  command->footer(
      "Examples:\n"
      "  thrift-call encode Person '{\"name\":\"Ann\",\"age\":30}' --idl examples/person.thrift |\n"
      "    thrift-call decode --type Person --idl examples/person.thrift\n"
      "  thrift-call encode raw '{\"1:string\":\"Ann\"}' --protocol compact | thrift-call decode --protocol compact");
  command->callback([&global, options] {
    idl::Schema schema;
    const idl::Type* type = find_type_or_raw(global, options->type, schema);
    std::string bytes = read_input_bytes(options->file);
    if (options->input != "raw") {
      std::optional<std::string> decoded = from_hex(bytes);
      if (decoded && (options->input == "hex" || !bytes.empty())) {
        bytes = std::move(*decoded);
      } else if (options->input == "hex") {
        throw Error(ErrorKind::Input, "--input hex: the input is not hex digits", options->file);
      }
    }
    std::optional<codec::ProtocolKind> kind = codec::parse_protocol_kind(options->protocol);
    if (!kind) {
      kind = codec::detect_struct_protocol(bytes, type);
      if (!kind)
        throw Error(ErrorKind::Protocol,
                    "the input decodes as none of binary, compact and json" +
                        std::string(type ? " for this type" : "") + "; try --protocol to see where it fails",
                    options->file);
    }
    codec::DecodeOptions decode;
    decode.limits.max_depth = options->max_depth;
    decode.utf8 = options->invalid_utf8 == "latin1" ? codec::Utf8Policy::Latin1 : codec::Utf8Policy::Replace;
    codec::Deserialized result = codec::deserialize(*kind, bytes, type, decode);
    if (result.consumed < bytes.size() && !global.quiet)
      std::cerr << "thrift-call: warning: " << bytes.size() - result.consumed
                << " bytes after the value were not read (from byte " << result.consumed << ")\n";
    print(result.json);
  });
}

}  // namespace thrift_call::cli
