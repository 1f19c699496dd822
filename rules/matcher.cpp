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

constexpr unsigned kMaxArgs = 6;
constexpr unsigned kCallSlot = kMaxArgs;  // where whole-call rules (Target::kWholeCall) go

struct Matcher::Table {
  struct Entry {
    std::string_view name;
    std::uint8_t arg_count = 0;
    std::uint8_t resolved_args = 0;  // bit per argument register: some rule matches resolved
    std::array<ArgBase, kMaxArgs> base{};
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

// Compiles the pattern and checks the replacement of one rule; reports at the exact column.
std::unique_ptr<Regex> compile_pattern(const Rule& rule, Diagnostics& diags) {
  if (!rule.match_ok) return nullptr;  // the loader reported why
  Regex::Error error;
  auto regex = Regex::compile(rule.match.value, error);
  if (!regex) {
    diags.error(rule.path, rule.match.at(error.offset),
                fmt::format("invalid pattern in rule {}: {}", rule_label(rule), error.message));
    return nullptr;
  }
  if (rule.action.value == Action::rewrite && rule.replace && rule.replace_ok) {
    if (auto bad = regex->check_replacement(rule.replace->value)) {
      diags.error(rule.path, rule.replace->at(bad->offset),
                  fmt::format("invalid replacement in rule {}: {}", rule_label(rule),
                              bad->message));
      return nullptr;
    }
  }
  return std::make_unique<Regex>(std::move(*regex));
}

// What neutral argument `arg` of `s` is relative to, in `audit_arch`'s registers.
ArgBase arg_base(Sys s, unsigned arg, std::uint32_t audit_arch) {
  if (arg >= kMaxArgs) return {};
  const SyscallInfo& info = syscall_info(s);
  if (!(info.paths & (1u << arg))) return {ArgBase::Kind::not_a_path, 0};
  PathBase b = info.bases.of(arg);
  switch (b.kind) {
    case PathBase::Kind::cwd:
      return {};
    case PathBase::Kind::link:
      return {ArgBase::Kind::link, 0};
    case PathBase::Kind::dirfd:
      return {ArgBase::Kind::dirfd, static_cast<std::uint8_t>(*b.dirfd_on(s, audit_arch))};
    case PathBase::Kind::sockaddr:
      return {ArgBase::Kind::sockaddr, static_cast<std::uint8_t>(*b.dirfd_on(s, audit_arch))};
    case PathBase::Kind::msghdr:
      return {ArgBase::Kind::msghdr, 0};
  }
  return {};
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
  std::map<int, std::array<ArgBase, kMaxArgs + 1>> bases;
  for (const RuleFile& file : files) {
    for (const Rule& rule : file.rules) {
      auto targets = rule_targets(rule, diags);
      auto regex = compile_pattern(rule, diags);
      if (!regex || rule.broken) continue;  // reported; still checked above for lint's sake
      CompiledRule compiled;
      compiled.id = m.rules_.size();
      compiled.name = rule.name.value;
      compiled.label = rule_label(rule);
      compiled.path = rule.path;
      compiled.pos = rule.pos;
      compiled.action = rule.action.value;
      compiled.errno_value = rule.errno_value;
      compiled.resolved = file.paths == PathMode::resolved;
      // Parsed now, once: a rewrite at a stop only copies (replacement.h).
      if (rule.action.value == Action::rewrite && rule.replace)
        compiled.replacement.emplace(*regex, rule.replace->value);
      compiled.regex = std::move(regex);
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
        bases[*nr][arg] = arg_base(t.sys, t.arg, audit_arch);
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
    e.name = m.syscall_name(nr);
    for (std::uint8_t arg = 0; arg <= kCallSlot; ++arg) {
      if (by_arg[arg].empty()) continue;
      if (arg != kCallSlot) {
        e.args[e.arg_count++] = arg;
        e.base[arg] = bases[nr][arg];
        for (std::uint32_t id : by_arg[arg])
          if (m.rules_[id].resolved) e.resolved_args |= static_cast<std::uint8_t>(1u << arg);
      }
      e.first[arg] = static_cast<std::uint32_t>(table.rule_ids.size());
      e.count[arg] = static_cast<std::uint16_t>(by_arg[arg].size());
      table.rule_ids.insert(table.rule_ids.end(), by_arg[arg].begin(), by_arg[arg].end());
    }
    m.traced_.push_back(nr);
  }
  return m;
}

namespace {
const Matcher::Table::Entry& entry_of(const void* p) {
  return *static_cast<const Matcher::Table::Entry*>(p);
}
}  // namespace

std::span<const std::uint8_t> SyscallRules::args() const {
  if (!entry_) return {};
  return {entry_of(entry_).args.data(), entry_of(entry_).arg_count};
}

bool SyscallRules::has_call_rules() const {
  return entry_ && entry_of(entry_).count[kCallSlot] != 0;
}

bool SyscallRules::wants_resolved(unsigned arg) const {
  return entry_ && arg < kMaxArgs && (entry_of(entry_).resolved_args >> arg) & 1u;
}

ArgBase SyscallRules::base(unsigned arg) const {
  if (!entry_ || arg >= kMaxArgs) return {ArgBase::Kind::not_a_path, 0};
  return entry_of(entry_).base[arg];
}

std::string_view SyscallRules::name() const {
  return entry_ ? entry_of(entry_).name : std::string_view("syscall_unknown");
}

SyscallRules Matcher::find(long nr) const {
  SyscallRules r;
  r.entry_ = table_->find(nr);
  r.nr_ = nr;
  return r;
}

std::span<const std::uint8_t> Matcher::args_of(long nr) const { return find(nr).args(); }

bool Matcher::has_call_rules(long nr) const { return find(nr).has_call_rules(); }

Decision Matcher::decide_call(const SyscallRules& call) const {
  if (!call.has_call_rules()) return {};
  // Whole-call rules are deny or allow only (rule_targets refuses rewrites), so no buffer.
  return decide_slot(call.entry_, kCallSlot, PathArg{"", ""}, {});
}

Decision Matcher::decide_call(long nr) const { return decide_call(find(nr)); }

Decision Matcher::decide(const SyscallRules& call, unsigned arg, const PathArg& value,
                         std::span<char> out) const {
  if (!call || arg >= kMaxArgs) return {};
  return decide_slot(call.entry_, arg, value, out);
}

Decision Matcher::decide(long nr, unsigned arg, std::string_view value,
                         std::span<char> out) const {
  return decide(find(nr), arg, PathArg{value, value}, out);
}

Decision Matcher::decide_slot(const void* entry, unsigned slot, const PathArg& arg,
                              std::span<char> out) const {
  const Table::Entry& e = entry_of(entry);
  const std::uint32_t* ids = table_->rule_ids.data() + e.first[slot];
  for (std::uint16_t i = 0; i < e.count[slot]; ++i) {
    const CompiledRule& rule = rules_[ids[i]];
    if (rule.resolved && !arg.resolved) continue;  // the path could not be named
    std::string_view value = rule.resolved ? *arg.resolved : arg.passed;
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
        if (auto n = rule.replacement->expand(*rule.regex, value, out))
          d.replacement = std::string_view(out.data(), *n);
        else
          d.error = ENAMETOOLONG;
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
