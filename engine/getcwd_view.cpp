// GetcwdView (see getcwd_view.h). Costs nothing unless a file has prefix rules; then each getcwd
// takes an exit stop, one read of the buffer and, when it lies in a bundle, one write.
#include "engine/getcwd_view.h"

#include <cerrno>

#include "rules/cwd_view.h"
#include "rules/syscall_table.h"

namespace redirect::engine {

GetcwdView::GetcwdView(std::span<const rules::Matcher* const> matchers, TraceeIo& io)
    : matchers_(matchers),
      io_(io),
      reverse_(matchers.empty() ? std::span<const rules::CompiledRule>() : matchers.front()->rules(),
               rules::ReverseIndex::Use::getcwd) {}

const rules::Matcher* GetcwdView::matcher_of(std::uint32_t audit_arch) const {
  for (const rules::Matcher* m : matchers_)
    if (m->audit_arch() == audit_arch) return m;
  return nullptr;
}

bool GetcwdView::on_entry(Tracee& t, const SyscallEntry& e) {
  if (reverse_.empty() || !e.personality) return false;
  auto nr = rules::syscall_number(rules::Sys::getcwd, e.audit_arch);
  if (!nr || *nr != e.nr) return false;
  // An exit stop with nothing to restore, only the answer to read back (exit_plan.h).
  ExitPlan& plan = t.exit_plan;
  plan.personality = e.personality;
  plan.syscall = "getcwd";
  plan.want_result = true;
  plan.getcwd_buf = e.args[0];
  plan.getcwd_size = e.args[1];
  return true;
}

void GetcwdView::on_exit(const Tracee& t, ExitStop& stop) {
  const ExitPlan& p = stop.plan;
  if (p.getcwd_buf == 0 || !stop.have_result || stop.result <= 1) return;
  const auto n = static_cast<std::size_t>(stop.result);  // with the NUL
  if (n > host_.size() || !io_.read_bytes(t.tid, RemotePtr{p.getcwd_buf}, std::span(host_.data(), n)))
    return;
  std::string_view host(host_.data(), n - 1);
  const rules::Matcher* m = matcher_of(p.personality->audit_arch);
  if (m == nullptr) return;
  auto length = rules::cwd_in_view(*m, reverse_, host, view_, check_);
  if (!length) return;
  if (*length + 1 > p.getcwd_size) return stop.replace_result(-ERANGE);
  RemoteWrite w{RemotePtr{p.getcwd_buf}, std::span<const char>(view_.data(), *length + 1)};
  if (io_.write(t.tid, std::span(&w, 1)) != 0) return;  // unchanged: the kernel's answer
  stop.replace_result(static_cast<long>(*length + 1));
}

}  // namespace redirect::engine
