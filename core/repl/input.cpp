#include "core/repl/input.h"

#include "core/user_input/json_input.h"
#include "base/error.h"

namespace thrift_call::repl {

namespace {

std::string_view trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

void BraceScanner::feed(std::string_view text) {
  for (char c : text) {
    if (in_string_) {
      if (escaped_) escaped_ = false;
      else if (c == '\\') escaped_ = true;
      else if (c == '"') in_string_ = false;
    } else if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      --depth_;
    }
  }
}

int open_depth(std::string_view text) {
  BraceScanner scanner;
  scanner.feed(text);
  return scanner.depth();
}

bool InputAssembler::add(std::string_view line) {
  if (!text_.empty()) {
    text_ += '\n';
    braces_.feed("\n");
  }
  if (text_.size() + line.size() > kMaxWholeInput) {
    clear();
    throw Error(ErrorKind::Input,
                "an entry over " + std::to_string(kMaxWholeInput >> 20) + " MiB: its braces never balance", "repl");
  }
  text_ += line;
  braces_.feed(line);  // only the new line: the text before it was scanned already
  std::string_view t = trim(text_);
  if (t.empty() || t.front() == '.' || t.front() == '#') return true;
  return braces_.depth() <= 0;
}

std::string InputAssembler::take() {
  std::string out = std::move(text_);
  clear();
  return out;
}

Entry parse_entry(std::string_view text) {
  Entry entry;
  std::string_view t = trim(text);
  if (t.empty() || t.front() == '#') return entry;
  size_t end = t.find_first_of(" \t\r\n{");
  entry.name = std::string(t.substr(0, end));
  std::string_view rest = end == std::string_view::npos ? std::string_view{} : trim(t.substr(end));
  if (t.front() == '.') {
    entry.kind = Entry::Kind::Command;
    entry.rest = std::string(rest);
    for (size_t i = 0; i < rest.size();) {
      size_t a = rest.find_first_not_of(" \t", i);
      if (a == std::string_view::npos) break;
      size_t b = rest.find_first_of(" \t", a);
      entry.words.emplace_back(rest.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
      i = b == std::string_view::npos ? rest.size() : b;
    }
    return entry;
  }
  entry.kind = Entry::Kind::Call;
  entry.json = rest.empty() ? "{}" : std::string(rest);
  return entry;
}

}  // namespace thrift_call::repl
