#include "core/protocol/json.h"

#include <cstdio>

#include "core/codec/base64.h"

namespace thrift_call::protocol {

namespace json {

const char* type_name(TType type) {
  switch (type) {
    case TType::Bool: return "tf";
    case TType::Byte: return "i8";
    case TType::I16: return "i16";
    case TType::I32: return "i32";
    case TType::I64: return "i64";
    case TType::Double: return "dbl";
    case TType::String: return "str";
    case TType::Struct: return "rec";
    case TType::Map: return "map";
    case TType::Set: return "set";
    case TType::List: return "lst";
    case TType::Uuid: return "uid";
    case TType::Stop:
    case TType::Void: break;
  }
  assert(false && "stop and void have no TJSONProtocol name");
  return "";
}

TType type_from_name(std::string_view name) {
  static constexpr TType kAll[] = {TType::Bool,   TType::Byte,   TType::I16, TType::I32,
                                   TType::I64,    TType::Double, TType::String,
                                   TType::Struct, TType::Map,    TType::Set, TType::List,
                                   TType::Uuid};
  for (TType t : kAll) {
    if (name == type_name(t)) return t;
  }
  if (name == "uuid") return TType::Uuid;
  return TType::Stop;
}

}  // namespace json

namespace {

constexpr char kHex[] = "0123456789abcdef";

// How a byte is written inside a JSON string, after Apache's C++ table:
// 0 = as is, 'u' = \u00xx, any other = a backslash and that letter.
constexpr char escape_for(unsigned char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\f': return 'f';
    case '\r': return 'r';
    default: return c < 0x20 ? 'u' : 0;
  }
}

bool is_numeric_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// A double in any spelling an Apache writer uses: a JSON number, NaN,
// Infinity, -Infinity (C++, Java) or nan, inf, -inf (Python).
bool parse_double(std::string_view text, double& value) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

std::string quote_token(std::string_view token) {
  std::string out = "'";
  for (unsigned char c : token.substr(0, 40)) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (token.size() > 40) out += "...";
  return out + "'";
}

}  // namespace

void JsonWriter::write_json_string(std::string_view value) {
  separator();
  out_.push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    char esc = escape_for(c);
    if (esc == 0) continue;
    out_.append(value.data() + run_start, i - run_start);
    run_start = i + 1;
    if (esc == 'u') {
      const char seq[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out_.append(seq, sizeof seq);
    } else {
      out_.push_back('\\');
      out_.push_back(esc);
    }
  }
  out_.append(value.data() + run_start, value.size() - run_start);
  out_.push_back('"');
}

void JsonWriter::write_double(double value) {
  separator();
  // Not JSON numbers: always strings, in C++ and Java's spelling.
  if (std::isnan(value)) {
    out_ += "\"NaN\"";
    return;
  }
  if (std::isinf(value)) {
    out_ += value < 0 ? "\"-Infinity\"" : "\"Infinity\"";
    return;
  }
  // 17 significant digits round-trip every double; %g-style like Apache's
  // ostream (C++) and '{:.17g}' (Python).
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 17);
  bool quote = quote_numbers();
  if (quote) out_.push_back('"');
  out_.append(buf, res.ptr);
  if (quote) out_.push_back('"');
}

void JsonWriter::write_binary(std::string_view value) {
  separator();
  out_.push_back('"');
  size_t start = out_.size();
  base64_encode(value, out_);
  // Apache's C++ and Java writers leave the padding out.
  while (out_.size() > start && out_.back() == '=') out_.pop_back();
  out_.push_back('"');
}

void JsonWriter::write_uuid(const std::array<uint8_t, 16>& value) {
  char text[36];
  size_t n = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[n++] = '-';
    text[n++] = kHex[value[i] >> 4];
    text[n++] = kHex[value[i] & 0xf];
  }
  write_json_string(std::string_view(text, sizeof text));
}

MessageHeader JsonReader::read_message_begin() {
  contexts_.clear();
  begin_array();
  int64_t version = read_integer(INT64_MIN, INT64_MAX, "version");
  if (version != json::kVersion) {
    throw_read_error(token_at_, "bad TJSONProtocol version " + std::to_string(version) + " (expected 1)");
  }
  MessageHeader header;
  header.name = std::string(read_json_string(false));
  header.type = static_cast<MessageType>(read_integer(1, 4, "message type"));
  header.seqid = static_cast<int32_t>(read_integer(INT32_MIN, INT32_MAX, "seqid"));
  return header;
}

FieldHeader JsonReader::read_field_begin() {
  skip_space();
  if (pos_ < in_.size() && in_[pos_] == '}') return {TType::Stop, 0};
  auto id = static_cast<int16_t>(read_integer(INT16_MIN, INT16_MAX, "field id"));
  begin_object();
  return {read_type_name("field"), id};
}

MapHeader JsonReader::read_map_begin() {
  begin_array();
  MapHeader header;
  header.key = read_type_name("map key");
  header.value = read_type_name("map value");
  int64_t size = read_integer(INT64_MIN, INT64_MAX, "map size");
  // Each entry takes at least a key and a value character.
  detail::check_size(token_at_, "map", size, std::min<int64_t>(limits_.container_limit, INT32_MAX),
                     in_.size() - pos_, 2);
  header.size = static_cast<int32_t>(size);
  begin_object();
  return header;
}

ListHeader JsonReader::read_collection_begin(const char* what) {
  begin_array();
  ListHeader header;
  header.elem = read_type_name(what);
  int64_t size = read_integer(INT64_MIN, INT64_MAX, "size");
  detail::check_size(token_at_, what, size, std::min<int64_t>(limits_.container_limit, INT32_MAX),
                     in_.size() - pos_, 1);
  header.size = static_cast<int32_t>(size);
  return header;
}

int64_t JsonReader::read_integer(int64_t min, int64_t max, const char* what) {
  read_separator();
  bool quoted = quoted_numbers();
  if (quoted) expect('"');
  token_at_ = pos_;
  while (pos_ < in_.size() && is_numeric_char(in_[pos_])) ++pos_;
  std::string_view token = in_.substr(token_at_, pos_ - token_at_);
  std::string_view digits = token;
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  int64_t value = 0;
  auto res = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || res.ptr != digits.data() + digits.size() || res.ec == std::errc::invalid_argument) {
    if (token.empty() && pos_ >= in_.size()) {
      throw_input_ended(pos_, std::string("input ends where ") + what + " was expected");
    }
    if (token.empty()) token = in_.substr(pos_, 1);
    throw_read_error(token_at_, std::string("expected an integer for ") + what + ", got " + quote_token(token));
  }
  if (res.ec == std::errc::result_out_of_range || value < min || value > max) {
    throw_read_error(token_at_, std::string(what) + " " + std::string(token) + " is out of range [" +
                                    std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  if (quoted) expect('"');
  return value;
}

double JsonReader::read_double() {
  read_separator();
  size_t at = pos_;
  double value = 0;
  if (pos_ < in_.size() && in_[pos_] == '"') {
    std::string_view text = read_json_string(true);
    bool special = text == "NaN" || text == "Infinity" || text == "-Infinity" || text == "nan" ||
                   text == "inf" || text == "-inf";
    // Apache quotes a finite double only as a map key.
    if ((!special && !quoted_numbers()) || !parse_double(text, value)) {
      throw_read_error(at, "expected a double, got the string \"" + std::string(text.substr(0, 40)) + "\"");
    }
    return value;
  }
  if (quoted_numbers()) unexpected('"');
  while (pos_ < in_.size() && (is_numeric_char(in_[pos_]) || (in_[pos_] >= 'a' && in_[pos_] <= 'z') ||
                               (in_[pos_] >= 'A' && in_[pos_] <= 'Z'))) {
    ++pos_;
  }
  std::string_view token = in_.substr(at, pos_ - at);
  if (!parse_double(token, value)) {
    if (token.empty() && pos_ >= in_.size()) throw_input_ended(pos_, "input ends where a double was expected");
    if (token.empty()) token = in_.substr(pos_, 1);
    throw_read_error(at, "expected a double, got " + quote_token(token));
  }
  return value;
}

std::string_view JsonReader::read_json_string(bool skip_separator) {
  if (!skip_separator) read_separator();
  size_t start = pos_;
  token_at_ = start;
  expect('"');
  size_t i = pos_;
  while (i < in_.size() && in_[i] != '"' && in_[i] != '\\') ++i;
  if (i >= in_.size()) throw_input_ended(start, "input ends inside a string");
  std::string_view result;
  if (in_[i] == '"') {
    // No escapes: a view into the input.
    result = in_.substr(pos_, i - pos_);
    pos_ = i + 1;
  } else {
    string_buffer_.assign(in_.data() + pos_, i - pos_);
    pos_ = i;
    while (true) {
      if (pos_ >= in_.size()) throw_input_ended(start, "input ends inside a string");
      char c = in_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c != '\\') {
        size_t run = pos_;
        while (run < in_.size() && in_[run] != '"' && in_[run] != '\\') ++run;
        string_buffer_.append(in_.data() + pos_, run - pos_);
        pos_ = run;
        continue;
      }
      if (pos_ + 1 >= in_.size()) throw_input_ended(start, "input ends inside a string");
      char e = in_[pos_ + 1];
      switch (e) {
        case '"': case '\\': case '/': string_buffer_.push_back(e); pos_ += 2; continue;
        case 'b': string_buffer_.push_back('\b'); pos_ += 2; continue;
        case 'f': string_buffer_.push_back('\f'); pos_ += 2; continue;
        case 'n': string_buffer_.push_back('\n'); pos_ += 2; continue;
        case 'r': string_buffer_.push_back('\r'); pos_ += 2; continue;
        case 't': string_buffer_.push_back('\t'); pos_ += 2; continue;
        case 'u': break;
        default:
          throw_read_error(pos_, "unknown escape " + quote_token(in_.substr(pos_, 2)) + " in a string");
      }
      // \uXXXX: one UTF-16 code unit; a surrogate pair takes two escapes.
      auto code_unit = [this, start](size_t at) -> uint32_t {
        if (in_.size() - at < 6) throw_input_ended(start, "input ends inside a string");
        uint32_t v = 0;
        for (size_t k = 2; k < 6; ++k) {
          int h = hex_value(in_[at + k]);
          if (in_[at] != '\\' || in_[at + 1] != 'u' || h < 0) {
            throw_read_error(at, "bad \\u escape " + quote_token(in_.substr(at, 6)) + " in a string");
          }
          v = v << 4 | static_cast<uint32_t>(h);
        }
        return v;
      };
      uint32_t cp = code_unit(pos_);
      if (cp >= 0xdc00 && cp <= 0xdfff) {
        throw_read_error(pos_, "UTF-16 low surrogate without a high one in a string");
      }
      if (cp >= 0xd800 && cp <= 0xdbff) {
        if (in_.size() - pos_ >= 8 && (in_[pos_ + 6] != '\\' || in_[pos_ + 7] != 'u')) {
          throw_read_error(pos_, "UTF-16 high surrogate without a low one in a string");
        }
        uint32_t low = code_unit(pos_ + 6);
        if (low < 0xdc00 || low > 0xdfff) {
          throw_read_error(pos_, "UTF-16 high surrogate without a low one in a string");
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        pos_ += 6;
      }
      append_utf8(string_buffer_, cp);
      pos_ += 6;
    }
    result = string_buffer_;
  }
  if (static_cast<int64_t>(result.size()) > limits_.string_limit) {
    detail::throw_bad_size(start, "string", static_cast<int64_t>(result.size()), limits_.string_limit, 0, 0);
  }
  return result;
}

std::string_view JsonReader::read_binary() {
  std::string_view text = read_json_string(false);
  size_t at = token_at_;
  std::optional<std::string> bytes = base64_decode(text);
  if (!bytes) throw_read_error(at, "binary value is not base64: " + quote_token(text));
  binary_buffer_ = std::move(*bytes);
  return binary_buffer_;
}

std::array<uint8_t, 16> JsonReader::read_uuid() {
  std::string_view text = read_json_string(false);
  std::array<uint8_t, 16> value{};
  bool ok = text.size() == 36;
  size_t n = 0;
  for (size_t i = 0; ok && i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      ok = text[i] == '-';
      continue;
    }
    int h = hex_value(text[i]);
    ok = h >= 0;
    if (ok) {
      value[n / 2] = static_cast<uint8_t>(value[n / 2] << 4 | h);
      ++n;
    }
  }
  if (!ok) throw_read_error(token_at_, "expected a uuid (8-4-4-4-12 hex digits), got " + quote_token(text));
  return value;
}

TType JsonReader::read_type_name(const char* what) {
  std::string_view name = read_json_string(false);
  TType type = json::type_from_name(name);
  if (type == TType::Stop) {
    throw_read_error(token_at_, std::string("unknown ") + what + " type name " + quote_token(name) +
                                    " (expected tf, i8, i16, i32, i64, dbl, str, rec, map, set, lst or uid)");
  }
  return type;
}

void JsonReader::unexpected(char wanted) const {
  if (pos_ >= in_.size()) {
    throw_input_ended(pos_, std::string("input ends where '") + wanted + "' was expected");
  }
  throw_read_error(pos_, std::string("expected '") + wanted + "', got " + quote_token(in_.substr(pos_, 1)));
}

}  // namespace thrift_call::protocol
