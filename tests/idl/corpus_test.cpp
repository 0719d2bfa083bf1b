// The IDL front end against the reference compiler on real-world files:
// ../shared/corpus/manifest.json lists each file with what `thrift --gen json`
// (Apache Thrift 0.17) made of it.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/idl_views/schema_json.h"
#include "base/error.h"
#include "idl/loader.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path corpus_dir() { return fs::path(THRIFT_CALL_SOURCE_DIR) / ".." / "shared" / "corpus"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Two oracle files are not valid JSON: 0.17 writes map constants whose keys
// are lists or maps as `[...]: value`. This reader accepts any value as an
// object key and turns a non-string key into its compact JSON text, which is
// how thrift-call writes such keys.
class LenientJson {
 public:
  explicit LenientJson(const std::string& text) : s_(text) {}
  json parse() {
    json v = value();
    space();
    if (i_ != s_.size()) throw std::runtime_error("trailing text in oracle");
    return v;
  }

 private:
  void space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  json value() {
    space();
    if (i_ >= s_.size()) throw std::runtime_error("unexpected end of oracle");
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      json obj = json::object();
      space();
      if (s_[i_] == '}') return ++i_, obj;
      for (;;) {
        json key = value();
        space();
        if (s_[i_++] != ':') throw std::runtime_error("expected ':' in oracle");
        obj[key.is_string() ? key.get<std::string>() : key.dump()] = value();
        space();
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (s_[i_++] != '}') throw std::runtime_error("expected '}' in oracle");
        return obj;
      }
    }
    if (c == '[') {
      ++i_;
      json arr = json::array();
      space();
      if (s_[i_] == ']') return ++i_, arr;
      for (;;) {
        arr.push_back(value());
        space();
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (s_[i_++] != ']') throw std::runtime_error("expected ']' in oracle");
        return arr;
      }
    }
    // A scalar: let nlohmann read it (strings, numbers, literals).
    size_t start = i_;
    if (c == '"') {
      ++i_;
      while (s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
      ++i_;
    } else {
      while (i_ < s_.size() && !std::strchr(",:]} \n\t\r", s_[i_])) ++i_;
    }
    return json::parse(s_.substr(start, i_ - start));
  }
  const std::string& s_;
  size_t i_ = 0;
};

// The compiler prints doubles with 15 significant digits.
void normalise_doubles(json& v) {
  if (v.is_number_float()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", v.get<double>());
    v = std::strtod(buf, nullptr);
  } else if (v.is_structured()) {
    for (auto& item : v) normalise_doubles(item);
  }
}

// Files the reference compiler 0.17 rejects that thrift-call reads on purpose.
const std::set<std::string> kAcceptedOnPurpose = {
    // the uuid type: Thrift 0.18 (THRIFT-5591)
    "idl/apache-thrift/test/ThriftTest.thrift",
    "idl/apache-thrift/test/DebugProtoTest.thrift",
    "idl/apache-thrift/test/ConstantsDemo.thrift",
    // base-type names as field names: Thrift 0.18 (THRIFT-5626)
    "idl/apache-thrift/test/v0.16/NameConflictTest.thrift",
    // a list of an enum type naming a constant of that enum ([myWfhDay, ...]):
    // 0.17 insists on Enum.VALUE; thrift-call resolves constants of any type
    "idl/twitter-scrooge/scrooge-generator-tests/src/test/thrift/standalone/const.thrift",
    // a default naming a constant declared further down: thrift-call resolves
    // names after parsing, so forward references work everywhere
    "idl/extensions/cloudwego-thriftgo/extension/thrift_option/option_idl/annotations/validation/validation.thrift",
};

struct CorpusFile {
  std::string idl;
  std::string oracle;
  std::string status;
  std::vector<std::string> include_dirs;
};

std::vector<CorpusFile> corpus_files() {
  json manifest = json::parse(read_text(corpus_dir() / "manifest.json"));
  std::vector<CorpusFile> out;
  for (const auto& f : manifest["files"]) {
    CorpusFile c{f["idl"], f["oracle"], f["status"], {}};
    for (const auto& dir : f["include_dirs"]) c.include_dirs.push_back((corpus_dir() / "idl" / dir.get<std::string>()).string());
    out.push_back(std::move(c));
  }
  return out;
}

thrift_call::idl::Schema load(const CorpusFile& f) {
  thrift_call::idl::LoadOptions options;
  options.include_dirs = f.include_dirs;
  return thrift_call::idl::load_schema({(corpus_dir() / f.idl).string()}, options);
}

}  // namespace

TEST_CASE("the corpus manifest is there to test against", "[idl][corpus]") {
  REQUIRE(fs::exists(corpus_dir() / "manifest.json"));
  REQUIRE(corpus_files().size() >= 70);
}

TEST_CASE("schema --format thrift-json equals the reference compiler's output on every file it accepts",
          "[idl][corpus]") {
  int compared = 0;
  for (const CorpusFile& f : corpus_files()) {
    if (f.status != "accepted") continue;
    INFO(f.idl);
    thrift_call::idl::Schema schema;
    try {
      schema = load(f);
    } catch (const thrift_call::Error& e) {
      FAIL_CHECK(e.what());
      continue;
    }
    json ours = json::parse(thrift_call::to_thrift_json(*schema.roots().front()).dump());
    json oracle = LenientJson(read_text(corpus_dir() / f.oracle)).parse();
    normalise_doubles(ours);
    normalise_doubles(oracle);
    if (ours != oracle) {
      // Name the first differing JSON pointer so the failure is readable.
      json patch = json::diff(oracle, ours);
      FAIL_CHECK("differs from the oracle: " << patch.dump().substr(0, 600));
      continue;
    }
    ++compared;
  }
  CHECK(compared == 48);
}

TEST_CASE("files the reference compiler rejects give one clear IDL error, unless accepted on purpose",
          "[idl][corpus]") {
  int rejected = 0, accepted = 0;
  for (const CorpusFile& f : corpus_files()) {
    if (f.status == "accepted") continue;
    INFO(f.idl);
    if (kAcceptedOnPurpose.count(f.idl)) {
      CHECK_NOTHROW(load(f));
      ++accepted;
      continue;
    }
    try {
      load(f);
      FAIL("accepted a file the reference compiler rejects");
    } catch (const thrift_call::Error& e) {
      CHECK(e.kind() == thrift_call::ErrorKind::Idl);
      // "file:line:col: message" on one line
      std::string line = e.diagnostic();
      CHECK(line.find('\n') == std::string::npos);
      CHECK(line.find(".thrift:") != std::string::npos);
      ++rejected;
    }
  }
  CHECK(accepted == static_cast<int>(kAcceptedOnPurpose.size()));
  CHECK(rejected == 22 - accepted);
}
