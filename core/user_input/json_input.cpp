#include "core/user_input/json_input.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

// As core/codec/json_parse.cpp includes it, so that both see one RapidJSON.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "core/codec/json_parse.h"
#include "core/codec/json_preview.h"
#include "base/error.h"

namespace thrift_call {

namespace {
// The most of a parse error's reason shown: its words and the start of what
// it quotes from the input.
constexpr size_t kQuotedReason = 160;
}  // namespace

std::string read_input_bytes(const std::string& path) {
  if (path == "-") return read_whole(stdin, "stdin");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw Error(ErrorKind::Usage, "cannot open \"" + path + "\": " + std::strerror(errno));
  return read_whole(file, path);
}

std::string read_whole(std::FILE* file, const std::string& origin) {
  std::string bytes;
  // A file's size known, the bytes go into one allocation, not a chain of
  // copies as the string grows.
  struct stat st {};
  if (::fstat(fileno(file), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      static_cast<size_t>(st.st_size) <= kMaxWholeInput)
    bytes.reserve(static_cast<size_t>(st.st_size) + 1);
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    if (bytes.size() + n > kMaxWholeInput) {
      if (file != stdin) std::fclose(file);
      throw Error(ErrorKind::Input,
                  "more than " + std::to_string(kMaxWholeInput >> 20) +
                      " MiB: this input is read whole (a pcap capture is streamed instead)",
                  origin);
    }
    bytes.append(buffer, n);
  }
  bool failed = std::ferror(file) != 0;
  if (file != stdin) std::fclose(file);
  if (failed) throw Error(ErrorKind::Usage, "cannot read: " + std::string(std::strerror(errno)), origin);
  return bytes;
}

std::string read_argument_text(const std::string& argument) {
  if (argument == "-") return read_input_bytes("-");
  if (!argument.empty() && argument[0] == '@') return read_input_bytes(argument.substr(1));
  return argument;
}

JsonValueExtent scan_json_value(std::string_view text, size_t from) {
  JsonValueExtent extent;
  size_t begin = text.find_first_not_of(" \t\r\n", from);
  if (begin == std::string_view::npos) return extent;
  extent.begin = begin;
  // The syntax only: numbers stay text, strings are not kept.
  rapidjson::MemoryStream stream(text.data() + begin, text.size() - begin);
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::Reader reader;
  // Iterative: no recursion, however deep the nesting.
  constexpr unsigned kFlags =
      rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;
  rapidjson::ParseResult result = reader.Parse<kFlags>(stream, ignore);
  if (!result.IsError()) {
    extent.status = JsonValueExtent::Status::Complete;
    extent.end = begin + stream.Tell();
    return extent;
  }
  extent.end = begin + result.Offset();
  // RapidJSON meets the end of the text as a '\0' (MemoryStream's), and fails there.
  extent.status = extent.end >= text.size() ? JsonValueExtent::Status::Incomplete : JsonValueExtent::Status::Invalid;
  return extent;
}

std::string number_overflow_reason(const nlohmann::json::out_of_range& e) {
  std::string what = e.what();
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

codec::Json parse_json_argument(const std::string& text, const std::string& origin, int first_line) {
  codec::Json args;
  parse_json_argument_into(text, origin, first_line, args);
  return args;
}

void parse_json_argument_into(const std::string& text, const std::string& origin, int first_line, codec::Json& args) {
  try {
    codec::parse_json_into(text, args);
  } catch (const nlohmann::json::exception&) {
    rethrow_json_error(text, origin, first_line);
  }
}

void rethrow_json_error(std::string_view text, const std::string& origin, int first_line) {
  // "stdin line 2, column 7" for the byte at `offset` (0-based).
  auto place = [&](size_t offset) {
    size_t line = static_cast<size_t>(first_line), column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return origin + " line " + std::to_string(line) + ", column " + std::to_string(column);
  };
  try {
    throw;
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann counts bytes from 1, and names the one after the last it read.
    // Its what() is "[json.exception...] parse error at line 1, column 9:
    // <reason>", and the reason may hold ": " itself ("...; last read: 'tru'").
    std::string what = e.what();
    size_t colon = what.find(": ", what.find("parse error"));
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    // nlohmann quotes the token it stopped in ("last read: '...'"): a
    // string's token may be the whole of a large input.
    throw Error(ErrorKind::Input, "invalid JSON: " + codec::text_preview(reason, kQuotedReason),
                place(e.byte == 0 ? 0 : e.byte - 1));
  } catch (const nlohmann::json::out_of_range& e) {
    // A number past a double's range, with no position: the number's own
    // text, which the message quotes, places it.
    std::string reason = number_overflow_reason(e);
    size_t open = reason.find('\''), close = reason.rfind('\'');
    size_t at = open < close ? text.find(reason.substr(open + 1, close - open - 1)) : std::string::npos;
    throw Error(ErrorKind::Input, "invalid JSON: " + codec::text_preview(reason, kQuotedReason),
                at == std::string::npos ? origin : place(at));
  }
}

}  // namespace thrift_call
