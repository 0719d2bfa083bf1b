#include "core/json_input.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/codec/json_parse.h"
#include "idl/error.h"

namespace thrift_call {

std::string read_input_bytes(const std::string& path) {
  if (path == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return data;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Usage, "cannot open \"" + path + "\"");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string read_argument_text(const std::string& argument) {
  if (argument == "-") return read_input_bytes("-");
  if (!argument.empty() && argument[0] == '@') return read_input_bytes(argument.substr(1));
  return argument;
}

codec::Json parse_json_argument(const std::string& text, const std::string& origin) {
  try {
    return codec::parse_json(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset nlohmann reports into line and column.
    size_t line = 1, column = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    size_t colon = what.rfind(": ");
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    throw Error(ErrorKind::Input, "invalid JSON: " + reason,
                origin + " line " + std::to_string(line) + ", column " + std::to_string(column));
  }
}

}  // namespace thrift_call
