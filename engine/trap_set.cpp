// The trapped set and the filter built from it (see trap_set.h).
#include "engine/trap_set.h"

#include <algorithm>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "engine/arch/native.h"
#include "engine/cwd_names.h"
#include "engine/own_traps.h"
#include "engine/seccomp_filter.h"
#include "rules/syscall_table.h"

namespace redirect::engine {

std::vector<int> trapped_numbers(const rules::Matcher& m, bool all_paths, bool ends) {
  std::vector<int> nrs = m.traced_numbers();
  // getcwd's answer is read back to the program's view (getcwd_view.h).
  if (rules::reads_getcwd_back(m.rules()))
    if (auto nr = rules::syscall_number(rules::Sys::getcwd, m.audit_arch())) {
      nrs.insert(std::ranges::lower_bound(nrs, *nr), *nr);
      nrs.erase(std::unique(nrs.begin(), nrs.end()), nrs.end());
    }
  if (all_paths) {
    for (rules::Sys s : rules::expand_class(rules::TF | rules::TE))
      if (auto nr = rules::syscall_number(s, m.audit_arch())) nrs.push_back(*nr);
    std::ranges::sort(nrs);
    nrs.erase(std::unique(nrs.begin(), nrs.end()), nrs.end());
  }
  if (nrs.empty()) return nrs;
  std::vector<int> own = OwnTraps::numbers(m.audit_arch());
  // Calls that change a working directory or its name drop the kept names (cwd_names.h).
  for (int nr : CwdNames::numbers(m.audit_arch())) own.push_back(nr);
  if (ends)
    for (rules::Sys s : {rules::Sys::exit, rules::Sys::exit_group, rules::Sys::execve,
                         rules::Sys::execveat})
      if (auto nr = rules::syscall_number(s, m.audit_arch())) own.push_back(*nr);
  std::ranges::sort(own);
  own.erase(std::unique(own.begin(), own.end()), own.end());
  std::vector<int> all;
  std::ranges::set_union(nrs, own, std::back_inserter(all));
  return all;
}

namespace {

// Calls fn(personality, matcher) for each ABI that has a matcher, in personality order (the
// host's first).
template <class Fn>
void for_each_abi(std::span<const rules::Matcher* const> matchers, Fn&& fn) {
  for (const arch::Personality& p : arch::native::personalities)
    for (const rules::Matcher* m : matchers)
      if (m->audit_arch() == p.audit_arch) fn(p, *m);
}

}  // namespace

std::vector<sock_filter> filter_for(std::span<const rules::Matcher* const> matchers,
                                    bool all_paths, bool ends) {
  // Kept alive for the spans in `arches`; reserved so that no push_back moves them.
  std::vector<std::vector<int>> numbers;
  std::vector<ArgTrap> clone_traps;
  std::vector<NullPass> passes;
  std::vector<FilterArch> arches;
  numbers.reserve(matchers.size());
  clone_traps.reserve(2 * matchers.size());
  passes.reserve(matchers.size());
  for_each_abi(matchers, [&](const arch::Personality& p, const rules::Matcher& m) {
    numbers.push_back(trapped_numbers(m, all_paths, ends));
    FilterArch a{p.audit_arch, numbers.back(), p.foreign_nr_base, {}, {}};
    // clone(CLONE_UNTRACED): its flags are argument 0 on every ABI we support; so is prctl's
    // option (PR_SET_SECCOMP: the program installs a filter of its own).
    auto clone = rules::syscall_number(rules::Sys::clone, p.audit_arch);
    auto prctl = rules::syscall_number(rules::Sys::prctl, p.audit_arch);
    const std::size_t first = clone_traps.size();
    if (clone && !numbers.back().empty()) clone_traps.push_back({*clone, 0, clone_untraced});
    if (prctl && !numbers.back().empty())
      clone_traps.push_back({*prctl, 0, pr_set_seccomp, /*equals=*/true});
    a.arg_traps = std::span(clone_traps.data() + first, clone_traps.size() - first);
    // sendto's address is argument 4 on every ABI we support; NULL on a connected socket.
    auto sendto = rules::syscall_number(rules::Sys::sendto, p.audit_arch);
    if (sendto && std::ranges::binary_search(numbers.back(), *sendto)) {
      passes.push_back({*sendto, 4});
      a.null_passes = std::span(&passes.back(), 1);
    }
    arches.push_back(a);
  });
  return make_seccomp_program(arches);
}

void say_trapped(Notices& notices, std::span<const rules::Matcher* const> matchers,
                 std::size_t instructions, bool all_paths, bool ends) {
  std::string counts;
  std::vector<std::string> lists;
  for_each_abi(matchers, [&](const arch::Personality& p, const rules::Matcher& m) {
    std::vector<int> nrs = trapped_numbers(m, all_paths, ends);
    counts += fmt::format(" {} {} syscalls,", nrs.size(), p.name);
    std::string list = fmt::format("{} syscalls trapped:", p.name);
    for (int nr : nrs) list += fmt::format(" {}({})", m.syscall_name(nr), nr);
    lists.push_back(std::move(list));
  });
  notices.say(fmt::format(
      "--mode seccomp: a filter of {} BPF instructions traps{} every syscall of other ABIs",
      instructions, counts));
  for (const std::string& list : lists) notices.say(list);
}

}  // namespace redirect::engine
