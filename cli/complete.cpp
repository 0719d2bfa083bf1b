// Shell completion: `thrift-call completion SHELL` prints a script of
// completions/, and the scripts ask the hidden `thrift-call __complete` for
// candidates. Verbs and flags come from walking the CLI11 app, IDL names from
// the IDL the command line would load.
#include <iostream>
#include <map>
#include <optional>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "cli/completion_scripts.h"
#include "cli/options.h"
#include "core/idl_views/completion.h"
#include "core/transport/endpoint.h"
#include "base/error.h"

namespace thrift_call::cli {

void add_completion_command(CLI::App& app) {
  auto* command = app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
  auto shell = std::make_shared<std::string>();
  command->add_option("SHELL", *shell, "bash, zsh or fish")->check(CLI::IsMember({"bash", "zsh", "fish"}))->required();
  command->footer(
      "Examples:\n"
      "  source <(thrift-call completion bash)\n"
      "  mkdir -p ~/.zfunc && thrift-call completion zsh > ~/.zfunc/_thrift-call\n"
      "  mkdir -p ~/.config/fish/completions && thrift-call completion fish > ~/.config/fish/completions/thrift-call.fish\n"
      "The first completes in the current bash; for zsh, add fpath+=(~/.zfunc) before compinit in ~/.zshrc.\n"
      "The .deb and `cmake --install` put the scripts where bash, zsh and fish look already.");
  command->callback([shell] {
    if (*shell == "bash") print(kBashCompletion);
    if (*shell == "zsh") print(kZshCompletion);
    if (*shell == "fish") print(kFishCompletion);
  });
}

namespace {

bool takes_value(const CLI::Option* option) { return option->get_type_size_max() > 0; }

// The option of `command` (or of a verb it belongs to: -q is global) that
// `flag` ("--idl", "-p") names.
const CLI::Option* find_flag(const CLI::App* command, const std::string& flag) {
  for (; command; command = command->get_parent()) {
    for (const CLI::Option* option : command->get_options()) {
      for (const auto& l : option->get_lnames())
        if (flag == "--" + l) return option;
      for (const auto& s : option->get_snames())
        if (flag == "-" + s) return option;
    }
  }
  return nullptr;
}

const CLI::App* find_verb(const CLI::App& app, const std::string& name) {
  auto found = app.get_subcommands([&name](const CLI::App* verb) { return verb->get_name() == name; });
  return found.empty() ? nullptr : found.front();
}

// Before the endpoint, the default verb's options (as main() reads them).
const CLI::Option* find_default_verb_flag(const CLI::App& app, const std::string& flag) {
  const CLI::App* call = find_verb(app, "call");
  return call ? find_flag(call, flag) : nullptr;
}

// What a value is: a positional's name, else the option's type name
// without the validators' descriptions ("TEXT:{a,b}" -> "TEXT").
std::string value_kind(const CLI::Option* option) {
  if (!option->nonpositional()) return option->get_name();
  std::string type = option->get_type_name();
  return type.substr(0, type.find(':'));
}

// The choices an IsMember check allows, from the type name CLI11 shows in
// help ("TEXT:{binary,compact,json,auto}").
std::vector<std::string> choices(const CLI::Option* option) {
  std::string type = option->get_type_name();
  size_t open = type.find('{');
  size_t close = type.find('}', open);
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos) return out;
  std::string list = type.substr(open + 1, close - open - 1);
  for (size_t start = 0; start <= list.size();) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The positional of `command` that its `index`th positional word fills; one
// taking many values (serve's IDL...) takes all the rest.
const CLI::Option* positional_option(const CLI::App* command, size_t index) {
  size_t at = 0;
  for (const CLI::Option* option : command->get_options()) {
    if (option->nonpositional()) continue;
    if (at == index || (option->get_items_expected_max() > 1 && at <= index)) return option;
    ++at;
  }
  return nullptr;
}

struct Answer {
  std::string directive = ":words";
  std::vector<std::string> words;
};

std::vector<std::string> names_from_idl(const IdlOptions& idl, IdlNames what, const std::string& current) {
  std::optional<std::string_view> service;
  if (what == IdlNames::Methods && current.find('.') != std::string::npos) service = service_part(current);
  try {
    return idl_names(load_idl(idl, service), what);
  } catch (const std::exception&) {
    return {};  // no IDL, or a broken one: nothing to offer, and no noise in the shell
  }
}

Answer complete_value(const CLI::Option* option, const Config& config, const IdlOptions& idl,
                      const std::string& current) {
  Answer answer;
  answer.words = choices(option);
  if (!answer.words.empty()) return answer;
  const std::string kind = value_kind(option);
  if (kind == value_name::kFile || kind == value_name::kIdl) answer.directive = ":files";
  if (kind == value_name::kDir) answer.directive = ":dirs";
  if (kind == value_name::kEndpoint)
    for (const auto& alias : config.aliases) answer.words.push_back(alias.first);
  if (kind == value_name::kMethod) answer.words = names_from_idl(idl, IdlNames::Methods, current);
  if (kind == value_name::kService) answer.words = names_from_idl(idl, IdlNames::Services, current);
  if (kind == value_name::kName) answer.words = names_from_idl(idl, IdlNames::DescribeTargets, current);
  if (kind == value_name::kType) {
    answer.words = names_from_idl(idl, IdlNames::Types, current);
    answer.words.insert(answer.words.begin(), "raw");  // encode/decode's IDL-free notation
  }
  return answer;
}

Answer complete(const CLI::App& app, const Config& config, std::vector<std::string> words) {
  const std::string current = words.empty() ? "" : words.back();
  if (!words.empty()) words.pop_back();

  const CLI::App* command = &app;
  size_t positional = 0;  // positionals of `command` already given
  const CLI::Option* pending = nullptr;  // an option whose value comes next
  // As main() sets them: the config's, replaced by the flags given.
  IdlOptions idl;
  const char* idl_env = std::getenv("THRIFT_CALL_IDL");
  if (!idl_env || !*idl_env) idl.files = config.idl;
  idl.include_dirs = config.include_dirs;
  bool idl_flag_seen = false, include_flag_seen = false;
  auto note_value = [&idl, &idl_flag_seen, &include_flag_seen](const CLI::Option* option, const std::string& value) {
    if (option->check_lname("idl") || value_kind(option) == value_name::kIdl) {
      if (!std::exchange(idl_flag_seen, true)) idl.files.clear();
      idl.files.push_back(value);
    }
    if (option->check_lname("include-dir")) {
      if (!std::exchange(include_flag_seen, true)) idl.include_dirs.clear();
      idl.include_dirs.push_back(value);
    }
  };
  for (const std::string& word : words) {
    if (pending && word == "=") continue;  // bash's words: "--idl" "=" "x.thrift"
    if (pending) {
      note_value(pending, word);
      pending = nullptr;
      continue;
    }
    if (word.size() > 1 && word[0] == '-') {
      size_t eq = word.find('=');
      const CLI::Option* option = find_flag(command, word.substr(0, eq));
      if (!option && command == &app) option = find_default_verb_flag(app, word.substr(0, eq));
      if (option && takes_value(option)) {
        if (eq == std::string::npos) pending = option;
        else note_value(option, word.substr(eq + 1));
      }
      continue;
    }
    if (command == &app) {
      if (const CLI::App* verb = find_verb(app, word)) {
        command = verb;
        continue;
      }
      if (transport::looks_like_endpoint(word) || config.aliases.count(word)) {  // the default verb, as main() decides
        command = find_verb(app, "call");
        if (!command) break;
        positional = 1;
        continue;
      }
    }
    // serve's IDL positionals are the IDL its --service names come from.
    if (const CLI::Option* option = positional_option(command, positional); option && value_kind(option) == value_name::kIdl)
      note_value(option, word);
    ++positional;
  }

  Answer answer;
  std::string value_prefix;  // "--protocol=" when completing that form
  std::string wanted = current;
  if (!pending && current.rfind("--", 0) == 0 && current.find('=') != std::string::npos) {
    size_t eq = current.find('=');
    pending = find_flag(command, current.substr(0, eq));
    if (!pending && command == &app) pending = find_default_verb_flag(app, current.substr(0, eq));
    value_prefix = current.substr(0, eq + 1);
    wanted = current.substr(eq + 1);
  }
  if (pending) {
    answer = complete_value(pending, config, idl, wanted);
  } else if (!current.empty() && current[0] == '-') {
    // Before the endpoint, the default verb's options too (its parent is the app).
    const CLI::App* call = find_verb(app, "call");
    for (const CLI::App* c = command == &app && call ? call : command; c; c = c->get_parent())
      for (const CLI::Option* option : c->get_options()) {
        for (const auto& l : option->get_lnames()) answer.words.push_back("--" + l);
        for (const auto& s : option->get_snames()) answer.words.push_back("-" + s);
      }
  } else if (command == &app) {
    for (const CLI::App* verb : app.get_subcommands([](const CLI::App*) { return true; }))
      if (!verb->get_group().empty()) answer.words.push_back(verb->get_name());
    for (const auto& alias : config.aliases) answer.words.push_back(alias.first);  // the default verb's ENDPOINT
  } else {
    if (const CLI::Option* option = positional_option(command, positional))
      answer = complete_value(option, config, idl, current);
  }
  std::vector<std::string> matching;
  for (const std::string& word : answer.words)
    if (word.rfind(wanted, 0) == 0) matching.push_back(value_prefix + word);
  answer.words = std::move(matching);
  return answer;
}

}  // namespace

int run_complete(const CLI::App& app, const Config& config, const std::vector<std::string>& words) {
  Answer answer = complete(app, config, words);
  std::string out = answer.directive + "\n";
  for (const std::string& word : answer.words) out += word + "\n";
  std::cout << out << std::flush;
  return 0;
}

}  // namespace thrift_call::cli
