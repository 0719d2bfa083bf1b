// The REPL's input: lines assembled into whole entries (JSON may span several
// lines), and an entry split into a dot-command or a call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace thrift_call::repl {

// Collects lines until the braces and brackets they open are closed (outside
// JSON strings). A dot-command is always one line.
// Follows {} and [] depth through text given piece by piece, skipping
// strings, so a long entry is scanned once, not once per line.
class BraceScanner {
 public:
  void feed(std::string_view text);
  int depth() const { return depth_; }

 private:
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

class InputAssembler {
 public:
  // Adds a line; true when the entry is complete (then take() it). Throws
  // Error (Input), dropping the entry, past kMaxWholeInput.
  bool add(std::string_view line);
  // The entry so far, lines joined with '\n'; resets the assembler.
  std::string take();
  // Whether lines are held waiting for their closing braces.
  bool pending() const { return !text_.empty(); }
  void clear() {
    text_.clear();
    braces_ = BraceScanner();
  }

 private:
  std::string text_;
  BraceScanner braces_;
};

// How deep `text` is inside {} and [] at its end (strings skipped); negative
// when it closes more than it opens.
int open_depth(std::string_view text);

struct Entry {
  enum class Kind { Empty, Command, Call } kind = Kind::Empty;
  std::string name;                // ".use" (with its dot), or the call's "Service.method" / "method"
  std::vector<std::string> words;  // a command's arguments, split on blanks
  std::string rest;                // a command's text after its name, trimmed
  std::string json;                // a call's arguments ("{}" when absent)
};

// "Service.method {json}", "method {json}", ".command args...". Comments
// (a line starting with '#') and blank entries are Empty.
Entry parse_entry(std::string_view text);

}  // namespace thrift_call::repl
