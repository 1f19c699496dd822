// Compilation of rule files into the per-arch lookup table, and the per-stop decision.
//
// The table is flat: one Entry per native syscall number up to the largest one traced, each
// holding the argument indexes to read and, per argument, a [first, first+count) range into one
// array of rule ids. A stop therefore costs one bounds check, one index and a short loop over
// the rules of that slot; nothing is allocated after compile().
#include "rules/matcher.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <fmt/format.h>
#include <map>

#include "rules/regex.h"
#include "rules/syscall_table.h"
#include "rules/targets.h"

namespace redirect::rules {

CompiledRule::CompiledRule() = default;
CompiledRule::CompiledRule(CompiledRule&&) noexcept = default;
CompiledRule& CompiledRule::operator=(CompiledRule&&) noexcept = default;
CompiledRule::~CompiledRule() = default;

int CompiledRule::expand(std::string_view value, std::span<char> out,
                         std::string_view& result) const {
  if (!replacement) return EINVAL;  // not a rewrite rule: a bug of the caller, not a guess
  std::optional<std::size_t> n = replacement->expand(*regex, value, out);
  if (!n) return ENAMETOOLONG;
  result = std::string_view(out.data(), *n);
  // The loader refuses a NUL in `replace` and a capture cannot hold one (the path was read up
  // to its NUL), so this never happens; if it did, the kernel would see only the part before
  // the NUL, another path. The call fails instead.
  if (result.find('\0') != std::string_view::npos) {
    result = {};
    return EINVAL;
  }
  return 0;
}

constexpr unsigned kMaxArgs = 6;
constexpr unsigned kCallSlot = kMaxArgs;  // where whole-call rules (Target::kWholeCall) go

struct Matcher::Table {
  struct Entry {
    std::uint8_t arg_count = 0;
    std::array<std::uint8_t, kMaxArgs> args{};  // ascending; first arg_count are valid
    std::array<std::uint32_t, kMaxArgs + 1> first{};  // by argument index, into rule_ids
    std::array<std::uint16_t, kMaxArgs + 1> count{};  // [kCallSlot]: whole-call rules
  };
  // Entries only for the numbers rules name, reached through a 2-byte index by native number:
  // a full Entry per number (~470 x 52 bytes, twice with i386) and a std::string name per
  // number were ~20 of the page faults of every start (bench W0). Names come from the static
  // syscall table instead.
  static constexpr std::uint16_t kNone = UINT16_MAX;
  std::vector<std::uint16_t> index;  // by native number: into entries, or kNone
  std::vector<Entry> entries;
  std::vector<std::uint32_t> rule_ids;

  const Entry* find(long nr) const {
    if (nr < 0 || static_cast<std::size_t>(nr) >= index.size()) return nullptr;
    std::uint16_t i = index[static_cast<std::size_t>(nr)];
    return i == kNone ? nullptr : &entries[i];
  }
};

Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

namespace {

// The pattern and (for a rewrite) the parsed replacement of one rule, or nothing after
// reporting why at the exact column.
struct Compiled {
  std::unique_ptr<Regex> regex;
  std::optional<Replacement> replacement;
};

std::optional<Compiled> compile_pattern(const Rule& rule, Diagnostics& diags) {
  if (!rule.match_ok) return std::nullopt;  // the loader reported why
  Regex::Error error;
  auto regex = Regex::compile(rule.match.value, error);
  if (!regex) {
    diags.error(rule.path, rule.match.at(error.offset),
                fmt::format("invalid pattern in rule {}: {}", rule_label(rule), error.message));
    return std::nullopt;
  }
  Compiled out;
  if (rule.action.value == Action::rewrite && rule.replace && rule.replace_ok) {
    out.replacement = Replacement::parse(*regex, rule.replace->value, error);
    if (!out.replacement) {
      diags.error(rule.path, rule.replace->at(error.offset),
                  fmt::format("invalid replacement in rule {}: {}", rule_label(rule),
                              error.message));
      return std::nullopt;
    }
  }
  out.regex = std::make_unique<Regex>(std::move(*regex));
  return out;
}

}  // namespace

std::optional<Matcher> Matcher::compile(std::span<const RuleFile> files, std::uint32_t audit_arch,
                                        Diagnostics& diags) {
  Matcher m;
  m.audit_arch_ = audit_arch;
  m.table_ = std::make_unique<Table>();
  const std::size_t errors_before = diags.error_count();

  // native number -> argument -> rule ids in load order
  std::map<int, std::array<std::vector<std::uint32_t>, kMaxArgs + 1>> slots;
  for (const RuleFile& file : files) {
    for (const Rule& rule : file.rules) {
      auto targets = rule_targets(rule, diags);
      std::optional<Compiled> pattern = compile_pattern(rule, diags);
      if (!pattern || rule.broken) continue;  // reported; still checked above for lint's sake
      CompiledRule compiled;
      compiled.id = m.rules_.size();
      compiled.name = rule.name.value;
      compiled.label = rule_label(rule);
      compiled.path = rule.path;
      compiled.pos = rule.pos;
      compiled.action = rule.action.value;
      compiled.errno_value = rule.errno_value;
      // Parsed now, once: a rewrite at a stop only copies (replacement.h).
      compiled.replacement = std::move(pattern->replacement);
      compiled.regex = std::move(pattern->regex);
      const auto id = static_cast<std::uint32_t>(compiled.id);
      m.rules_.push_back(std::move(compiled));
      for (const Target& t : targets) {
        auto nr = syscall_number(t.sys, audit_arch);
        if (!nr) continue;  // not on this arch: one file serves every arch
        // The argument's register on this arch (i386 splits a 64-bit argument in two).
        unsigned arg =
            t.arg == kWholeCall ? kCallSlot : native_arg(t.sys, t.arg, audit_arch);
        if (arg > kCallSlot) continue;
        auto& ids = slots[*nr][arg];
        if (ids.empty() || ids.back() != id) ids.push_back(id);
      }
    }
  }
  if (diags.error_count() > errors_before) return std::nullopt;

  Table& table = *m.table_;
  if (!slots.empty())
    table.index.assign(static_cast<std::size_t>(slots.rbegin()->first) + 1, Table::kNone);
  table.entries.reserve(slots.size());
  for (const auto& [nr, by_arg] : slots) {
    table.index[static_cast<std::size_t>(nr)] = static_cast<std::uint16_t>(table.entries.size());
    Table::Entry& e = table.entries.emplace_back();
    for (std::uint8_t arg = 0; arg <= kCallSlot; ++arg) {
      if (by_arg[arg].empty()) continue;
      if (arg != kCallSlot) e.args[e.arg_count++] = arg;
      e.first[arg] = static_cast<std::uint32_t>(table.rule_ids.size());
      e.count[arg] = static_cast<std::uint16_t>(by_arg[arg].size());
      table.rule_ids.insert(table.rule_ids.end(), by_arg[arg].begin(), by_arg[arg].end());
    }
    m.traced_.push_back(nr);
  }
  return m;
}

std::span<const std::uint8_t> Matcher::args_of(long nr) const {
  const Table::Entry* e = table_->find(nr);
  if (!e) return {};
  return {e->args.data(), e->arg_count};
}

bool Matcher::has_call_rules(long nr) const {
  const Table::Entry* e = table_->find(nr);
  return e && e->count[kCallSlot] != 0;
}

Decision Matcher::decide_call(long nr) const {
  if (!has_call_rules(nr)) return {};
  // Whole-call rules are deny or allow only (rule_targets refuses rewrites), so no buffer.
  return decide_slot(nr, kCallSlot, "", {});
}

Decision Matcher::decide(long nr, unsigned arg, std::string_view value,
                         std::span<char> out) const {
  if (arg >= kMaxArgs) return {};
  return decide_slot(nr, arg, value, out);
}

Decision Matcher::decide_slot(long nr, unsigned slot, std::string_view value,
                              std::span<char> out) const {
  const Table::Entry* e = table_->find(nr);
  if (!e) return {};
  const std::uint32_t* ids = table_->rule_ids.data() + e->first[slot];
  for (std::uint16_t i = 0; i < e->count[slot]; ++i) {
    const CompiledRule& rule = rules_[ids[i]];
    if (!rule.regex->match(value)) continue;
    Decision d;
    d.rule = &rule;
    switch (rule.action) {
      case Action::allow:
        d.kind = Decision::Kind::allow;
        return d;
      case Action::deny:
        d.kind = Decision::Kind::deny;
        d.error = rule.errno_value;
        return d;
      case Action::rewrite:
        d.kind = Decision::Kind::rewrite;
        d.error = rule.expand(value, out, d.replacement);
        return d;
    }
  }
  return {};
}

std::string_view Matcher::syscall_name(long nr) const {
  if (nr >= 0 && nr <= INT_MAX)
    if (auto s = syscall_from_number(static_cast<int>(nr), audit_arch_))
      return syscall_info(*s).name;
  return "syscall_unknown";
}

}  // namespace redirect::rules
