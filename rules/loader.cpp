// Rule files -> RuleFile. toml++ parses (with exceptions: the Debian build of toml++ 3.3 is
// compiled with TOML_EXCEPTIONS, its symbols live in toml::v3::ex), and every check after that
// is ours: keys, types, values, @{VAR} expansion. Diagnostics of one rule are sorted by position
// before they are recorded, because toml++ iterates a table's keys in sorted order, not in the
// order they were written.
#include "rules/loader.h"

#include <fcntl.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "rules/edit_distance.h"
#include "rules/env_expand.h"
#include "rules/errno_names.h"
#include "rules/toml_string_positions.h"

namespace redirect::rules {

namespace {

using namespace std::string_view_literals;

constexpr std::array<std::string_view, 3> top_keys = {"version"sv, "paths"sv, "rule"sv};
constexpr std::array<std::string_view, 7> rule_keys = {
    "name"sv, "syscalls"sv, "args"sv, "match"sv, "replace"sv, "action"sv, "errno"sv};
constexpr std::array<std::string_view, rule_actions.size()> action_words = [] {
  std::array<std::string_view, rule_actions.size()> words;
  for (std::size_t i = 0; i < words.size(); ++i) words[i] = action_word(rule_actions[i]);
  return words;
}();

// Syscalls take at most six arguments on every Linux architecture.
constexpr std::int64_t max_arg_index = 5;

SourcePos pos_of(const toml::source_position& p) { return SourcePos{p.line, p.column}; }
SourcePos pos_of(const toml::node& n) { return pos_of(n.source().begin); }

// "a string", "an integer", ... in toml::node_type order (toml++ forward_declarations.h).
std::string_view a_type(const toml::node& n) {
  static constexpr std::string_view names[] = {"nothing",    "a table",    "an array",  "a string",
                                               "an integer", "a float",    "a boolean", "a date",
                                               "a time",     "a date-time"};
  auto i = static_cast<std::size_t>(n.type());
  return i < std::size(names) ? names[i] : "nothing";
}

// "a, b or c".
std::string word_list(std::span<const std::string_view> words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i != 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  if (std::optional<std::string_view> near = closest(word, candidates))
    return " (did you mean '" + std::string(*near) + "'?)";
  return "";
}

// toml++ says "Error while parsing key-value pair: ..."; we say "invalid key-value pair: ...",
// lower-case like our other messages. One case gets its own words: a string left open at the
// end of its line, which toml++ reports as the line break being a forbidden control character.
std::string toml_message(std::string_view description, std::string_view source, SourcePos pos) {
  constexpr std::string_view prefix = "Error while parsing ";
  if (description.find("control characters other than TAB") != std::string_view::npos &&
      description.find(": escaped control") == std::string_view::npos && pos.line > 0) {
    std::size_t line_start = 0;
    for (std::uint32_t l = 1; l < pos.line && line_start != std::string_view::npos; ++l)
      line_start = source.find('\n', line_start) + 1;
    std::size_t line_end = source.find('\n', line_start);
    std::string_view line = source.substr(line_start, line_end - line_start);
    std::size_t columns = 0;  // code points, as toml++ counts
    for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (line.ends_with('\r')) --columns;
    if (pos.column == columns + 1) return "unterminated string (no closing quote on this line)";
  }
  std::string message;
  if (description.starts_with(prefix)) {
    message = "invalid " + std::string(description.substr(prefix.size()));
  } else {
    message = std::string(description);
    if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z') message[0] += 'a' - 'A';
  }
  return message;
}

// The (key, node) pairs of a table in the order they were written.
std::vector<std::pair<const toml::key*, const toml::node*>> in_file_order(const toml::table& t) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (const auto& [key, node] : t) entries.emplace_back(&key, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const toml::source_position &pa = a.first->source().begin, &pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

// Checks one [[rule]] table. Problems go to a local list first so they can be sorted.
class RuleParser {
 public:
  RuleParser(const RuleFile& file, const SourceLines& lines, ExpandContext& env,
             const toml::table& table, std::size_t index)
      : file_(file), lines_(lines), env_(env), table_(table) {
    rule_.path = file.path;
    rule_.pos = pos_of(table);
    rule_.index = index;
    rule_.name = {"rule " + std::to_string(index), rule_.pos};
    label_ = rule_label(rule_);
  }

  // The rule, marked broken if it has an error; its diagnostics are added to `diags`.
  Rule run(Diagnostics& diags) {
    // The name first: every later message names the rule.
    if (const toml::node* name = table_.get("name")) {
      if (const auto* s = name->as_string()) {
        rule_.name = {s->get(), pos_of(*name)};
        rule_.named = true;
        label_ = rule_label(rule_);
      } else {
        type_error(*name, "name", "a string");
      }
    }
    for (const auto& [key, node] : in_file_order(table_)) key_value(*key, *node);
    check_combinations();
    std::stable_sort(local_.begin(), local_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
    });
    for (Diagnostic& d : local_) diags.add(std::move(d));
    rule_.broken = failed_;
    return std::move(rule_);
  }

 private:
  void error(SourcePos pos, std::string message) {
    local_.push_back(Diagnostic{file_.path, pos, Severity::error, std::move(message)});
    failed_ = true;
  }

  void warning(SourcePos pos, std::string message) {
    local_.push_back(Diagnostic{file_.path, pos, Severity::warning, std::move(message)});
  }

  void type_error(const toml::node& n, std::string_view key, std::string_view expected) {
    error(pos_of(n), "rule " + label_ + ": '" + std::string(key) + "' must be " +
                         std::string(expected) + ", not " + std::string(a_type(n)));
  }

  void key_value(const toml::key& key, const toml::node& node) {
    const std::string_view k = key.str();
    if (k == "name") return;  // done first
    if (k == "syscalls") return syscalls(node);
    if (k == "args") return args(node);
    if (k == "match" || k == "replace") return text(k, node);
    if (k == "action") return action(node);
    if (k == "errno") return errno_key(node);
    error(pos_of(key.source().begin),
          "unknown key '" + std::string(k) + "' in rule " + label_ + did_you_mean(k, rule_keys));
  }

  void syscalls(const toml::node& node) {
    const toml::array* array = node.as_array();
    if (array == nullptr) return type_error(node, "syscalls", "an array of strings");
    if (array->empty()) return error(pos_of(node), "rule " + label_ + ": 'syscalls' is empty");
    std::vector<Located<std::string>> names;
    for (const toml::node& element : *array) {
      if (const auto* s = element.as_string()) {
        names.push_back({s->get(), pos_of(element)});
      } else {
        error(pos_of(element), "rule " + label_ +
                                   ": each entry of 'syscalls' must be a string, not " +
                                   std::string(a_type(element)));
      }
    }
    rule_.syscalls = std::move(names);
  }

  void args(const toml::node& node) {
    const toml::array* array = node.as_array();
    if (array == nullptr) return type_error(node, "args", "an array of integers");
    if (array->empty()) return error(pos_of(node), "rule " + label_ + ": 'args' is empty");
    std::vector<Located<std::int64_t>> indexes;
    for (const toml::node& element : *array) {
      const auto* i = element.as_integer();
      if (i == nullptr) {
        error(pos_of(element), "rule " + label_ +
                                   ": each entry of 'args' must be an integer, not " +
                                   std::string(a_type(element)));
      } else if (i->get() < 0 || i->get() > max_arg_index) {
        error(pos_of(element), "rule " + label_ + ": argument index " + std::to_string(i->get()) +
                                   " is out of range (0 to " + std::to_string(max_arg_index) + ")");
      } else {
        indexes.push_back({i->get(), pos_of(element)});
      }
    }
    rule_.args = std::move(indexes);
  }

  void text(std::string_view key, const toml::node& node) {
    const auto* s = node.as_string();
    if (s == nullptr) return type_error(node, key, "a string");
    LocatedText raw;
    raw.value = s->get();
    raw.pos = pos_of(node);
    raw.positions = toml_string_positions(lines_, raw.pos, raw.value);
    Diagnostics expand_diags;
    const ExpandMode mode = key == "match" ? ExpandMode::quoted : ExpandMode::literal;
    check_bytes(key, raw);
    std::optional<LocatedText> expanded = expand_env(raw, mode, env_, file_.path, expand_diags);
    for (const Diagnostic& d : expand_diags.all()) {
      if (d.severity == Severity::error) failed_ = true;
      local_.push_back(d);
    }
    // An unexpandable value is kept as written, so check_combinations() sees it.
    const bool ok = expanded.has_value();
    LocatedText value = expanded ? std::move(*expanded) : std::move(raw);
    if (key == "match") {
      rule_.match = std::move(value);
      rule_.match_ok = ok;
    } else {
      rule_.replace = std::move(value);
      rule_.replace_ok = ok;
    }
  }

  // A NUL can never be part of a path: the kernel reads up to it, so "/dir/a\u0000b" would
  // open "/dir/a", another file. Other control bytes are legal in a path, but in a replacement
  // they are far more likely a stray escape ("\n") than meant.
  void check_bytes(std::string_view key, const LocatedText& text) {
    for (std::size_t i = 0; i < text.value.size(); ++i) {
      const auto c = static_cast<unsigned char>(text.value[i]);
      if (c == 0) {
        error(text.at(i), "rule " + label_ + ": '" + std::string(key) +
                              "' contains a NUL byte: a path ends at its first NUL, so the "
                              "kernel would see a different, shorter path");
      } else if (key == "replace" && (c < 0x20 || c == 0x7f)) {
        warning(text.at(i), "rule " + label_ + ": 'replace' contains the control character " +
                                printable(std::string_view(&text.value[i], 1)));
      }
    }
  }

  void action(const toml::node& node) {
    const auto* s = node.as_string();
    if (s == nullptr) return type_error(node, "action", "a string");
    const std::string& word = s->get();
    if (std::optional<Action> a = rule_action(word)) {
      rule_.action = {*a, pos_of(node)};
    } else {
      std::string hint;
      if (std::optional<std::string_view> near = closest(word, action_words))
        hint = "; did you mean '" + std::string(*near) + "'?";
      error(pos_of(node),
            "unknown action '" + word + "' (expected " + word_list(action_words) + hint + ")");
      action_ok_ = false;
    }
  }

  void errno_key(const toml::node& node) {
    const auto* s = node.as_string();
    if (s == nullptr) return type_error(node, "errno", "a string (an errno name like \"EACCES\")");
    rule_.errno_name = Located<std::string>{s->get(), pos_of(node)};
    if (std::optional<int> value = errno_value(s->get())) {
      rule_.errno_value = *value;
    } else {
      error(pos_of(node),
            "unknown errno name '" + s->get() + "'" + did_you_mean(s->get(), errno_names()));
    }
  }

  // Required keys, and keys that depend on the action.
  void check_combinations() {
    if (table_.get("syscalls") == nullptr)
      error(rule_.pos, "rule " + label_ + " has no 'syscalls'");
    if (table_.get("match") == nullptr) error(rule_.pos, "rule " + label_ + " has no 'match'");
    if (!action_ok_) return;  // already reported; the rest would only guess
    const Action act = rule_.action.value;
    if (act == Action::rewrite && table_.get("replace") == nullptr)
      error(rule_.pos, "rule " + label_ + " has no 'replace' (required for action = \"rewrite\")");
    if (act != Action::rewrite && rule_.replace)
      error(rule_.replace->pos, "'replace' is not allowed with action = \"" +
                                    std::string(action_word(act)) + "\"");
    if (act != Action::deny && rule_.errno_name)
      error(rule_.errno_name->pos, "'errno' is only allowed with action = \"deny\"");
    if (act == Action::deny && !rule_.errno_name) rule_.errno_value = EACCES;
  }

  const RuleFile& file_;
  const SourceLines& lines_;
  ExpandContext& env_;
  const toml::table& table_;
  Rule rule_;
  std::string label_;  // "'config'", or "3" for the third rule when it has no name
  std::vector<Diagnostic> local_;
  bool failed_ = false;
  bool action_ok_ = true;
};

void parse_rule_array(const toml::node& node, RuleFile& file, ExpandContext& env,
                      Diagnostics& diags) {
  const SourceLines lines(file.source);
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    diags.error(file.path, pos_of(node),
                "'rule' must be an array of tables ([[rule]]), not " + std::string(a_type(node)));
    return;
  }
  file.rules.reserve(array->size());
  std::size_t index = 0;
  for (const toml::node& element : *array) {
    ++index;
    const toml::table* table = element.as_table();
    if (table == nullptr) {
      diags.error(file.path, pos_of(element),
                  "each 'rule' must be a table, not " + std::string(a_type(element)));
      continue;
    }
    file.rules.push_back(RuleParser(file, lines, env, *table, index).run(diags));
  }
}

}  // namespace

RuleFile parse_rules(std::string_view path, std::string_view text, const EnvLookup& env,
                     Diagnostics& diags, UnsetVariables unset) {
  RuleFile file{std::string(path), std::string(text), {}, PathMode::resolved};
  ExpandContext context{env, unset, {}};
  toml::table root;
  try {
    root = toml::parse(file.source, std::string_view(file.path));
  } catch (const toml::parse_error& e) {
    const SourcePos pos = pos_of(e.source().begin);
    diags.error(file.path, pos, toml_message(e.description(), file.source, pos));
    return file;
  }
  bool has_rule_key = false;
  for (const auto& [key, node] : in_file_order(root)) {
    const std::string_view k = key->str();
    if (k == "version") {
      if (const auto* v = node->as_integer(); v == nullptr) {
        diags.error(file.path, pos_of(*node),
                    "'version' must be an integer, not " + std::string(a_type(*node)));
      } else if (v->get() != 1) {
        diags.error(file.path, pos_of(*node),
                    "unsupported version " + std::to_string(v->get()) + " (only 1 exists)");
      }
    } else if (k == "paths") {
      const auto* v = node->as_string();
      if (v != nullptr && v->get() == "resolved") {
        file.paths = PathMode::resolved;
      } else if (v != nullptr && v->get() == "as-passed") {
        file.paths = PathMode::as_passed;
      } else {
        diags.error(file.path, pos_of(*node),
                    "'paths' must be \"resolved\" (match the absolute path the kernel will "
                    "reach, the default) or \"as-passed\" (match the string as the program "
                    "passed it)" +
                        (v ? std::string(", not \"") + v->get() + "\""
                           : ", not " + std::string(a_type(*node))));
      }
    } else if (k == "rule") {
      has_rule_key = true;
      parse_rule_array(*node, file, context, diags);
    } else {
      diags.error(file.path, pos_of(key->source().begin),
                  "unknown key '" + std::string(k) + "'" + did_you_mean(k, top_keys));
    }
  }
  const toml::array* rules = root.get_as<toml::array>("rule");
  if (!has_rule_key || (rules != nullptr && rules->empty()))
    diags.warning(file.path, {}, "no rules in this file");
  return file;
}

RuleFile load_rule_file(const std::string& path, const EnvLookup& env, Diagnostics& diags,
                        UnsetVariables unset) {
  std::string text;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  while (fd >= 0) {
    char buffer[65536];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (fd >= 0) ::close(fd);
  if (error != 0) {
    diags.error(path, {}, std::string("cannot read file: ") + std::strerror(error));
    return RuleFile{path, {}, {}, PathMode::resolved};
  }
  return parse_rules(path, text, env, diags, unset);
}

std::string rule_label(const Rule& rule) {
  return rule.named ? "'" + rule.name.value + "'" : std::to_string(rule.index);
}

}  // namespace redirect::rules
