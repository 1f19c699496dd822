// cwd_in_view (see cwd_view.h): one backward reading per prefix rule whose replacement holds
// the directory, deepest first, each checked with one Matcher decision for chdir.
#include "rules/cwd_view.h"

#include "rules/syscall_table.h"

namespace redirect::rules {

std::optional<std::size_t> cwd_in_view(const Matcher& m, const ReverseIndex& reverse,
                                       std::string_view host, std::span<char> view,
                                       std::span<char> check, MatchState* state) {
  if (reverse.empty()) return std::nullopt;
  auto chdir_nr = syscall_number(Sys::chdir, m.audit_arch());
  const SyscallRules chdir = m.find(chdir_nr.value_or(-1));
  // The program's view: the prefix whose rules (those of chdir) send it back to `host`.
  return reverse.to_view(host, view, [&](std::string_view candidate) {
    Decision d = m.decide(chdir, 0, PathArg{candidate, candidate}, check, state);
    return d.action == Action::rewrite && d.replacement == host;
  });
}

}  // namespace redirect::rules
