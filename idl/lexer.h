// Thrift IDL tokens.
//
// Keywords are not token kinds: the grammar lets most of them be field names
// ("1: i8 i8" is valid from Thrift 0.18), so the parser decides what a word
// means from where it stands. Doc comments (/** ... */) are tokens so that
// the parser can attach them the way the reference compiler does; ordinary
// comments are dropped here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "idl/source_location.h"

namespace thrift_call::idl {

enum class TokenKind {
  End,
  Word,           // identifier or keyword; may contain dots ("shared.Struct")
  Integer,        // decimal or hex, sign included; `true`/`false` are Words
  Double,
  String,         // text holds the unescaped value
  DocComment,     // text holds the raw inside of /** ... */
  Punct,          // one of { } [ ] ( ) < > , ; : = * & @
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;   // the source text (Word, Integer, Double, Punct)
  std::string value;       // String: unescaped; DocComment: inside of the comment
  int64_t integer = 0;
  double dbl = 0;
  SourceLocation location;
  int end_line = 0;        // the line the token ends on (doc comments span lines)

  bool is(char punct) const { return kind == TokenKind::Punct && text.size() == 1 && text[0] == punct; }
  bool is_word(std::string_view word) const { return kind == TokenKind::Word && text == word; }
};

// Splits one file into tokens. Throws thrift_call::Error (ErrorKind::Idl) at
// the first character that cannot start a token, an unterminated string or
// comment, a bad escape, or an integer that does not fit in i64.
class Lexer {
 public:
  Lexer(std::string_view source, const std::string* file);
  Token next();

 private:
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  void advance();
  void skip_to(size_t target);  // moves to `target`, keeping line and column
  [[noreturn]] void fail(const std::string& message, int line, int column) const;
  void skip_space_and_comments(Token& doc);
  Token lex_number();
  Token lex_string();

  std::string_view src_;
  const std::string* file_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace thrift_call::idl
