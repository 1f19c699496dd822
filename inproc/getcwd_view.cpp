// getcwd_in_view (see getcwd_view.h). Costs, per getcwd, the call itself and, when the answer
// lies in a bundle, one Matcher decision per candidate prefix and a copy.
#include "inproc/getcwd_view.h"

#include <climits>
#include <sys/syscall.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>

#include "inproc/raw_syscall.h"
#include "rules/cwd_view.h"

namespace redirect::inproc {

bool reads_getcwd_back(const Runtime& rt) { return !rt.getcwd_reverse.empty(); }

long getcwd_in_view(const Runtime& rt, const CallArgs& call) {
  const long r = raw_syscall(SYS_getcwd, call.args[0], call.args[1]);
  if (r <= 1 || !reads_getcwd_back(rt)) return r;
  auto* buf = reinterpret_cast<char*>(call.args[0]);
  const auto size = static_cast<std::size_t>(call.args[1]);
  alignas(16) std::byte state_memory[rules::MatchState::memory_needed(kMaxCaptures)];
  rules::MatchState state(rt.max_captures, state_memory);
  if (!state.ok()) return r;  // cannot decide: the kernel's answer stands
  std::array<char, PATH_MAX> view, check;  // uninitialised: only what is written is read
  const std::string_view host(buf, static_cast<std::size_t>(r - 1));
  auto length = rules::cwd_in_view(*rt.matcher, rt.getcwd_reverse, host, view, check, &state);
  if (!length) return r;
  if (*length + 1 > size) return -ERANGE;
  std::copy_n(view.data(), *length + 1, buf);
  return static_cast<long>(*length + 1);
}

}  // namespace redirect::inproc
