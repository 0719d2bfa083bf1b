#include "idl/lexer.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/error.h"
#include "base/utf8.h"

namespace thrift_call::idl {

std::string SourceLocation::to_string() const {
  std::string out = file ? *file : std::string("<input>");
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

namespace {

// What an IDL file's strings and doc comments hold is printed as JSON
// (`schema`, `template`) and sent as defaults: each byte that is not UTF-8
// becomes U+FFFD, as the decoder does with a peer's strings. (Such a byte
// in a doc comment made `schema` end in "internal error: invalid UTF-8";
// found by tests/fuzz/idl_fuzz.cpp.) The text is copied up to each bad
// byte, not shifted at each: a comment of bad bytes stays linear.
std::string valid_utf8(std::string text) {
  size_t i = 0;
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  if (i == text.size()) return text;
  std::string out;
  size_t copied = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_sequence(text, i);
    if (n != 0) {
      i += n;
      continue;
    }
    out.append(text, copied, i - copied);
    out += "\xEF\xBF\xBD";
    copied = ++i;
  }
  if (copied == 0) return text;
  out.append(text, copied, std::string::npos);
  return out;
}

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string describe_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  static const char* hex = "0123456789abcdef";
  return std::string("byte 0x") + hex[u >> 4] + hex[u & 15];
}

}  // namespace

Lexer::Lexer(std::string_view source, const std::string* file) : src_(source), file_(file) {
  // A UTF-8 byte order mark is skipped, as the reference compiler does.
  if (src_.size() >= 3 && src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

void Lexer::skip_to(size_t target) {
  for (size_t nl = src_.find('\n', pos_); nl != std::string_view::npos && nl < target; nl = src_.find('\n', nl + 1)) {
    ++line_;
    column_ = 1;
    pos_ = nl + 1;
  }
  column_ += static_cast<int>(target - pos_);
  pos_ = target;
}

void Lexer::advance() {
  if (src_[pos_] == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  ++pos_;
}

void Lexer::fail(const std::string& message, int line, int column) const {
  throw Error(ErrorKind::Idl, message, SourceLocation{file_, line, column}.to_string());
}

Token Lexer::next() {
  for (;;) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      advance();
    } else if (c == '#' || (c == '/' && peek(1) == '/')) {
      size_t nl = src_.find('\n', pos_);
      size_t end = nl == std::string_view::npos ? src_.size() : nl;
      column_ += static_cast<int>(end - pos_);
      pos_ = end;
    } else if (c == '/' && peek(1) == '*') {
      int line = line_, column = column_;
      // "/**" opens a doc comment, except the empty comment "/**/".
      bool doc = peek(2) == '*' && peek(3) != '/';
      size_t start = pos_ + 2;
      size_t end = src_.find("*/", start);
      if (end == std::string_view::npos) fail("unterminated comment", line, column);
      skip_to(end + 2);
      if (doc) {
        Token t;
        t.kind = TokenKind::DocComment;
        t.value = valid_utf8(std::string(src_.substr(start + 1, end - start - 1)));
        t.location = {file_, line, column};
        t.end_line = line_;
        return t;
      }
    } else {
      break;
    }
  }

  Token t;
  t.location = {file_, line_, column_};
  if (pos_ >= src_.size()) {
    t.kind = TokenKind::End;
    t.end_line = line_;
    return t;
  }
  char c = peek();
  if (is_ident_start(c)) {
    size_t start = pos_;
    while (pos_ < src_.size() && is_ident_char(src_[pos_])) advance();
    t.kind = TokenKind::Word;
    t.text = src_.substr(start, pos_ - start);
  } else if (is_digit(c) || ((c == '+' || c == '-') && (is_digit(peek(1)) || peek(1) == '.')) ||
             (c == '.' && is_digit(peek(1)))) {
    t = lex_number();
  } else if (c == '"' || c == '\'') {
    t = lex_string();
  } else if (std::strchr("{}[]()<>,;:=*&@", c) != nullptr) {
    t.kind = TokenKind::Punct;
    t.text = src_.substr(pos_, 1);
    advance();
  } else {
    fail("unexpected " + describe_char(c), line_, column_);
  }
  t.end_line = line_;
  return t;
}

Token Lexer::lex_number() {
  Token t;
  t.location = {file_, line_, column_};
  size_t start = pos_;
  if (peek() == '+' || peek() == '-') advance();
  if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
    advance();
    advance();
    size_t digits = pos_;
    while (is_hex(peek())) advance();
    if (pos_ == digits) fail("hex literal without digits", t.location.line, t.location.column);
    t.kind = TokenKind::Integer;
    t.text = src_.substr(start, pos_ - start);
    bool negative = src_[start] == '-';
    std::string hex(src_.substr(digits, pos_ - digits));
    errno = 0;
    unsigned long long v = std::strtoull(hex.c_str(), nullptr, 16);
    if (errno == ERANGE || v > (negative ? 0x8000000000000000ULL : 0x7fffffffffffffffULL))
      fail("integer " + std::string(t.text) + " does not fit in i64", t.location.line, t.location.column);
    t.integer = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
    return t;
  }
  bool is_double = false;
  while (is_digit(peek())) advance();
  if (peek() == '.' && is_digit(peek(1))) {
    is_double = true;
    advance();
    while (is_digit(peek())) advance();
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
    is_double = true;
    advance();
    if (peek() == '+' || peek() == '-') advance();
    while (is_digit(peek())) advance();
  }
  t.text = src_.substr(start, pos_ - start);
  std::string text(t.text);
  if (is_double) {
    t.kind = TokenKind::Double;
    t.dbl = std::strtod(text.c_str(), nullptr);
  } else {
    t.kind = TokenKind::Integer;
    errno = 0;
    long long v = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE)
      fail("integer " + text + " does not fit in i64", t.location.line, t.location.column);
    t.integer = v;
  }
  return t;
}

Token Lexer::lex_string() {
  Token t;
  t.kind = TokenKind::String;
  t.location = {file_, line_, column_};
  char quote = peek();
  advance();
  for (;;) {
    if (pos_ >= src_.size()) fail("unterminated string", t.location.line, t.location.column);
    char c = peek();
    if (c == quote) {
      advance();
      break;
    }
    if (c == '\n') fail("unterminated string (a string cannot span lines)", t.location.line, t.location.column);
    if (c == '\\') {
      int line = line_, column = column_;
      advance();
      if (pos_ >= src_.size()) fail("unterminated string", t.location.line, t.location.column);
      char e = peek();
      switch (e) {
        case '\\': t.value += '\\'; break;
        case '"': t.value += '"'; break;
        case '\'': t.value += '\''; break;
        case 'n': t.value += '\n'; break;
        case 'r': t.value += '\r'; break;
        case 't': t.value += '\t'; break;
        default: fail("bad escape " + describe_char(e) + " in string", line, column);
      }
      advance();
      continue;
    }
    t.value += c;
    advance();
  }
  t.value = valid_utf8(std::move(t.value));
  return t;
}

}  // namespace thrift_call::idl
