// Compilation of rule files into the per-arch lookup table, and the per-stop decision.
//
// The table is flat: one Entry per native syscall number that rules name, each holding the
// argument indexes to read and, per argument, a RuleIndex of the rules that name that slot. A
// stop therefore costs one bounds check, one index, and the regex matches of the rules whose
// literal prefix starts the string (plus those without one), in file order; nothing is
// allocated after compile().
#include "rules/matcher.h"

#include "rules/path_resolve.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <fmt/format.h>
#include <map>

#include "rules/regex.h"
#include "rules/rule_index.h"
#include "rules/syscall_table.h"
#include "rules/targets.h"

namespace redirect::rules {



constexpr unsigned kMaxArgs = kSyscallArgs;
constexpr unsigned kCallSlot = kMaxArgs;  // where whole-call rules (Target::kWholeCall) go


struct Matcher::Table {
  static constexpr std::uint32_t kNoRules = UINT32_MAX;
  struct Entry {
    std::string_view name;
    std::uint8_t arg_count = 0;
    std::array<std::uint8_t, kMaxArgs> args{};  // ascending; first arg_count are valid
    std::uint8_t resolved_args = 0;  // bit per argument register: some rule matches resolved
    std::array<ArgBase, kMaxArgs> base{};
    // By argument index ([kCallSlot]: whole-call rules): into `indexes`, or kNoRules; the
    // rules of resolved files in `index`, those of as-passed files in `passed_index`, each
    // searched with its own form of the string (decide_slot takes the lower rule id).
    std::array<std::uint32_t, kMaxArgs + 1> index{};
    std::array<std::uint32_t, kMaxArgs + 1> passed_index{};
  };
  // Entries only for the numbers rules name, reached through a 2-byte index by native number:
  // a full Entry per number (~470 x 52 bytes, twice with i386) and a std::string name per
  // number were ~20 of the page faults of every start (bench W0). Names come from the static
  // syscall table instead.
  static constexpr std::uint16_t kNone = UINT16_MAX;
  std::vector<std::uint16_t> index;  // by native number: into entries, or kNone
  std::vector<Entry> entries;
  // One RuleIndex per distinct list of rules: the ~90 syscalls of a %file rule share one.
  std::vector<RuleIndex> indexes;

  const Entry* find(long nr) const {
    if (nr < 0 || static_cast<std::size_t>(nr) >= index.size()) return nullptr;
    std::uint16_t i = index[static_cast<std::size_t>(nr)];
    return i == kNone ? nullptr : &entries[i];
  }
};

Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

std::span<const CompiledRule> Matcher::rules() const { return shared_->rules; }

std::optional<Matcher> Matcher::compile(std::span<const RuleFile> files, std::uint32_t audit_arch,
                                        Diagnostics& diags) {
  std::vector<Matcher> one = compile(files, std::span(&audit_arch, 1), diags);
  if (one.empty()) return std::nullopt;
  return std::move(one.front());
}

std::vector<Matcher> Matcher::compile(std::span<const RuleFile> files,
                                      std::span<const std::uint32_t> audit_arches,
                                      Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  auto set = std::make_shared<const RuleSet>(compile_rules(files, diags));
  std::vector<Matcher> out;
  if (diags.error_count() > errors_before) return out;
  for (std::uint32_t arch : audit_arches) out.push_back(build(set, arch));
  return out;
}

Matcher Matcher::build(const std::shared_ptr<const RuleSet>& shared, std::uint32_t audit_arch) {
  Matcher m;
  m.audit_arch_ = audit_arch;
  m.shared_ = shared;
  m.table_ = std::make_unique<Table>();
  // native number -> argument -> rule ids in load order
  std::map<int, std::array<std::vector<std::uint32_t>, kMaxArgs + 1>> slots;
  std::map<int, std::array<ArgBase, kMaxArgs + 1>> bases;
  // Generated files repeat the same `syscalls` in every rule: the slots of the previous rule's
  // targets are reused when the targets are the same, so n rules cost n pushes per slot and not
  // n * (targets) map lookups.
  const std::vector<Target>* last_targets = nullptr;
  std::vector<std::vector<std::uint32_t>*> last_slots;
  for (const CompiledRule& p : shared->rules) {
    if (last_targets != p.targets.get() && (last_targets == nullptr || *last_targets != *p.targets)) {
      last_slots.clear();
      for (const Target& t : *p.targets) {
        auto nr = syscall_number(t.sys, audit_arch);
        if (!nr) continue;  // not on this arch: one file serves every arch
        // The argument's register on this arch (i386 splits a 64-bit argument in two).
        unsigned arg = t.arg == kWholeCall ? kCallSlot : native_arg(t.sys, t.arg, audit_arch);
        if (arg > kCallSlot) continue;
        last_slots.push_back(&slots[*nr][arg]);
        bases[*nr][arg] = arg_base(t.sys, t.arg, audit_arch);
      }
      last_targets = p.targets.get();
    }
    for (std::vector<std::uint32_t>* ids : last_slots)
      if (ids->empty() || ids->back() != p.id) ids->push_back(static_cast<std::uint32_t>(p.id));
  }

  Table& table = *m.table_;
  if (!slots.empty())
    table.index.assign(static_cast<std::size_t>(slots.rbegin()->first) + 1, Table::kNone);
  table.entries.reserve(slots.size());
  std::map<std::vector<std::uint32_t>, std::uint32_t> index_of;  // one RuleIndex per list
  for (const auto& [nr, by_arg] : slots) {
    table.index[static_cast<std::size_t>(nr)] = static_cast<std::uint16_t>(table.entries.size());
    Table::Entry& e = table.entries.emplace_back();
    e.name = m.syscall_name(nr);
    e.index.fill(Table::kNoRules);
    e.passed_index.fill(Table::kNoRules);
    auto index_for = [&](const std::vector<std::uint32_t>& ids) {
      auto [it, added] =
          index_of.try_emplace(ids, static_cast<std::uint32_t>(table.indexes.size()));
      if (added) table.indexes.emplace_back(ids, shared->prefixes);
      return it->second;
    };
    for (std::uint8_t arg = 0; arg <= kCallSlot; ++arg) {
      if (by_arg[arg].empty()) continue;
      std::vector<std::uint32_t> resolved, passed;
      for (std::uint32_t id : by_arg[arg])
        (shared->rules[id].resolved || arg == kCallSlot ? resolved : passed).push_back(id);
      if (arg != kCallSlot) {
        e.args[e.arg_count++] = arg;
        e.base[arg] = bases[nr][arg];
        if (!resolved.empty()) e.resolved_args |= static_cast<std::uint8_t>(1u << arg);
      }
      if (!resolved.empty()) e.index[arg] = index_for(resolved);
      if (!passed.empty()) e.passed_index[arg] = index_for(passed);
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
  return entry_ && entry_of(entry_).index[kCallSlot] != Matcher::Table::kNoRules;
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
  return r;
}

Decision Matcher::decide_call(const SyscallRules& call, MatchState* state) const {
  if (!call.has_call_rules()) return {};
  // Whole-call rules are deny or allow only (rule_targets refuses rewrites), so no buffer.
  return decide_slot(call.entry_, kCallSlot, PathArg{"", ""}, {}, state);
}

Decision Matcher::decide(const SyscallRules& call, unsigned arg, const PathArg& value,
                         std::span<char> out, MatchState* state) const {
  if (!call || arg >= kMaxArgs) return {};
  Decision d = decide_slot(call.entry_, arg, value, out, state);
  const ArgBase base = call.base(arg);
  const bool socket = base.kind == ArgBase::Kind::sockaddr || base.kind == ArgBase::Kind::msghdr;
  if (socket && d.action == Action::rewrite && d.replacement.size() > sun_path_max &&
      d.replacement != (d.rule->resolved ? *value.resolved : value.passed))
    d.make_unwritable(ENAMETOOLONG);
  return d;
}

Decision Matcher::decide(long nr, unsigned arg, std::string_view value,
                         std::span<char> out) const {
  return decide(find(nr), arg, PathArg{value, value}, out);
}

static_assert(kMatchErrorErrno == EACCES);

Decision Matcher::decide_slot(const void* entry, unsigned slot, const PathArg& arg,
                              std::span<char> out, MatchState* state) const {
  const Table::Entry& e = entry_of(entry);
  const std::vector<CompiledRule>& rules = shared_->rules;
  // The first matching rule of one index, searched with one form of the string.
  // A pattern that gives up on the string (Regex::Outcome::error) decides too: it fails the
  // call rather than let a later rule, or none, decide what it could not.
  bool gave_up = false;
  auto first_of = [&](std::uint32_t index, std::string_view value,
                      bool& error) -> const CompiledRule* {
    if (index == Table::kNoRules) return nullptr;
    const CompiledRule* found = nullptr;
    table_->indexes[index].find_first(value, [&](std::uint32_t id) {
      const Regex::Outcome outcome = rules[id].regex->try_match(value, state);
      if (outcome == Regex::Outcome::no_match) return false;
      found = &rules[id];
      error = outcome == Regex::Outcome::error;
      return true;
    });
    return found;
  };
  const CompiledRule* rule =
      arg.resolved ? first_of(e.index[slot], *arg.resolved, gave_up) : nullptr;
  bool passed_gave_up = false;
  if (const CompiledRule* p = first_of(e.passed_index[slot], arg.passed, passed_gave_up))
    if (!rule || p->id < rule->id) {
      rule = p;
      gave_up = passed_gave_up;
    }
  Decision d;
  if (!rule) return d;
  d.rule = rule;
  if (gave_up) {
    d.action = Action::deny;
    d.error = rule->action == Action::deny ? rule->errno_value : kMatchErrorErrno;
    d.match_error = true;
    return d;
  }
  d.action = rule->action;
  if (rule->action == Action::deny) d.error = rule->errno_value;
  if (rule->action == Action::rewrite) {
    // Each rule has a regex of its own, last matched when it was found: its captures are
    // still this string's, whichever index was searched after it.
    if (int err = rule->expand(rule->resolved ? *arg.resolved : arg.passed, out, d.replacement,
                               state))
      d.make_unwritable(err);
  }
  return d;
}

std::string_view Matcher::syscall_name(long nr) const {
  if (nr >= 0 && nr <= INT_MAX)
    if (auto s = syscall_from_number(static_cast<int>(nr), audit_arch_))
      return syscall_info(*s).name;
  return "syscall_unknown";
}

}  // namespace redirect::rules
