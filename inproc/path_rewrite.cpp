// apply_rules (see path_rewrite.h). Cost per trapped call a rule names: a process_vm_readv
// per string read once the process has had a second thread (program_copy.h), a getcwd or
// readlink for a relative path some rule matches resolved, then the Matcher's regex matches,
// in a MatchState made on this frame.
#include "inproc/path_rewrite.h"

#include <linux/audit.h>
#include <signal.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <optional>

#include "inproc/program_copy.h"
#include "inproc/raw_syscall.h"
#include "inproc/root_change.h"
#include "inproc/self_fs.h"
#include "inproc/traced_calls.h"
#include "rules/below_dirfd.h"
#include "rules/host_writes.h"
#include "rules/last_link.h"
#include "rules/path_resolve.h"
#include "rules/path_text.h"
#include "rules/regex.h"
#include "rules/syscall_table.h"
#include "rules/unnamed_directory.h"
#include "rules/view_resolver.h"

namespace redirect::inproc {
namespace {

using rules::Action;
using rules::ArgBase;

constexpr std::uintptr_t kPage = 4096;
constexpr long kOpenat2 = 437;
constexpr unsigned long kResolveBeneath = 0x08, kResolveInRoot = 0x10;  // linux/openat2.h

// The NUL-terminated string at `p` into `out`: its length, or nullopt when it is unreadable or
// does not end within `out` (the kernel then answers EFAULT or ENAMETOOLONG as natively). Read
// in short pieces: most paths end in the first, and a copy asks the kernel for no more.
std::optional<std::size_t> read_string(const char* p, std::span<char> out, int tid) {
  constexpr std::size_t kPiece = 256;
  std::size_t n = 0;
  while (n < out.size()) {
    const std::size_t want = std::min(kPiece, out.size() - n);
    const std::size_t got = copy_from_program(out.data() + n, p + n, want, tid);
    for (std::size_t i = n; i < n + got; ++i)
      if (out[i] == '\0') return i;
    if (got < want) return std::nullopt;
    n += got;
  }
  return std::nullopt;
}

// An openat2 whose open_how keeps the walk below its dirfd: a rewrite is handed over relative
// to the dirfd, or not made (rules/below_dirfd.h). As engine/confined_walk.cpp reads it.
bool walk_is_confined(const CallArgs& call) {
  if (call.nr != kOpenat2 || static_cast<unsigned long>(call.args[3]) < 24) return false;
  const auto* how = reinterpret_cast<const std::uint64_t*>(call.args[2]);
  if (!readable(how, 24)) return false;
  return (how[2] & (kResolveBeneath | kResolveInRoot)) != 0;
}

bool is_socket(ArgBase base) {
  return base.kind == ArgBase::Kind::sockaddr || base.kind == ArgBase::Kind::msghdr;
}

int dirfd_of(const CallArgs& call, ArgBase base) {
  if (base.kind != ArgBase::Kind::dirfd) return rules::at_fdcwd;
  return static_cast<int>(static_cast<std::uint32_t>(call.args[base.dirfd_reg]));
}

// One decided argument.
struct Decided {
  unsigned arg = 0;
  ArgBase base;
  rules::Decision d;
  bool same = false;  // the program's own string already reaches the result
  bool target_kept = false;  // a link's target kept as written (keep_link_targets_in_bundle)
  bool confined = false;     // a rewrite dropped: the openat2 is confined to its dirfd
  rules::PathArg value;      // for the log (call_record.h)
  std::string_view why;      // why its directory could not be named, else empty
};

// An argument to decide: its register, what it is relative to, whether a rule names it.
struct Wanted {
  std::uint8_t arg = 0;
  ArgBase base;
  bool ruled = false;
};

// A symlink made inside a prefix rule's replacement keeps the target the program wrote (see
// engine/rewriter.cpp keep_link_targets_in_bundle: links inside a bundle are followed in the
// program's view).
void keep_link_targets_in_bundle(std::span<Decided> args) {
  const auto by_prefix = [](const Decided& a) {
    return a.d.action == Action::rewrite && a.d.rule->prefix_map;
  };
  const auto made_in_tree = [&](const Decided& a) {
    if (!rules::is_path(a.base) || !by_prefix(a)) return false;
    const std::string& root = a.d.rule->prefix_map->replacement;
    const std::string_view at = a.d.replacement;
    return at.starts_with(root) && (at.size() == root.size() || at[root.size()] == '/');
  };
  if (std::none_of(args.begin(), args.end(), made_in_tree)) return;
  for (Decided& a : args)
    if (a.base.kind == ArgBase::Kind::link && by_prefix(a) && !a.same) a.target_kept = true;
}

}  // namespace

bool readable(const void* addr, std::size_t len) {
  if (len == 0) return true;
  auto at = reinterpret_cast<std::uintptr_t>(addr);
  const std::uintptr_t last = at + len - 1;
  if (last < at) return false;
  for (std::uintptr_t page = at & ~(kPage - 1); page <= last; page += kPage) {
    // An aligned 8-byte word never crosses a page.
    const std::uintptr_t word = std::max(page, at) & ~std::uintptr_t{7};
    // The probe cannot tell page zero (a null `nset` is "no new mask"); nothing is mapped there
    // (vm.mmap_min_addr), so it is unreadable.
    if (word < kPage || raw_syscall(SYS_rt_sigprocmask, -1, word, 0, 8) == -EFAULT) return false;
    if (page + kPage < page) break;
  }
  return true;
}

namespace {

// The call being decided: the rules of its number, where patterns match, where paths resolve.
struct CallContext {
  const rules::Matcher& m;
  const rules::SyscallRules& rules_of_call;
  rules::MatchState& state;
  rules::ViewResolver& view;
  CallArgs& call;
  RewriteBuffers& bufs;
  bool traced;                 // `redirect trace` records the call: every path is named
  std::string_view named_dir;  // the directory resolve_arg() named last (empty: none)
};

// The program's view of argument `arg` (slot `k`), when a rule of its slot matches resolved
// paths (or the trace records the call) and its directory can be named; else nullopt (rules
// of as-passed files still apply). `ruled`: some rule names the argument.
std::optional<std::string_view> resolve_arg(CallContext& c, unsigned arg, std::size_t k,
                                            ArgBase base, bool ruled, std::string_view passed,
                                            std::string_view& why) {
  if (!c.traced && !c.rules_of_call.wants_resolved(arg)) return std::nullopt;
  // After chroot, paths name another tree than the rules': left as passed, as under ptrace.
  if (rules::is_path(base) && root_changed()) {
    why = rules::unnamed::other_root;
    return std::nullopt;
  }
  const rules::DirectoryNeed need = rules::directory_needed(base, passed, dirfd_of(c.call, base));
  std::string_view& dir = c.named_dir;
  if (need.kind != rules::DirectoryNeed::Kind::none) {
    const bool by_dirfd = need.kind == rules::DirectoryNeed::Kind::dirfd;
    auto named = name_directory(by_dirfd ? std::optional(need.fd) : std::nullopt, c.bufs.dir, why);
    if (!named) return std::nullopt;
    dir = *named;
  }
  auto path = c.view.resolve(&c.m, ruled ? &c.rules_of_call : nullptr, arg,
                             static_cast<unsigned>(k), base, dir, passed, c.bufs.resolved[k]);
  if (!path) why = rules::unnamed::path_too_long;
  return path;
}

// An open dirfd on a file that is not a directory: the kernel answers ENOTDIR, which a rewrite
// to an absolute path would hide, so the argument is decided again as passed. Asked only once a
// rule would act, as the ptrace engine does (engine/rewriter.cpp), so an unmatched call pays
// nothing for it.
void redecide_on_file_dirfd(CallContext& c, unsigned arg, std::size_t k, ArgBase base,
                            rules::PathArg& value, Decided& a) {
  const int fd = dirfd_of(c.call, base);
  if (a.d.action == Action::none || !a.d.rule->resolved || !rules::is_relative_path(value.passed) ||
      fd == rules::at_fdcwd || fd_is_directory(fd))
    return;
  value.resolved.reset();
  a.value = value;
  a.why = rules::unnamed::not_directory;
  a.d = c.m.decide(c.rules_of_call, arg, value, c.bufs.out[k], &c.state);
}

// Reads, resolves and decides argument `arg` of kind `base` into `a` (slot `k`); false when
// its string cannot be read (left to the kernel). An argument no rule names (`ruled` false: a
// path only the trace records) is read and named, and decided to be left alone.
bool decide_arg(CallContext& c, unsigned arg, std::size_t k, ArgBase base, bool ruled,
                Decided& a) {
  auto length = is_socket(base) ? read_socket_path(c.call.args.data(), arg, base,
                                                   c.bufs.sockets[k], c.bufs.in[k])
                                : read_string(reinterpret_cast<const char*>(c.call.args[arg]),
                                              c.bufs.in[k], c.call.tid);
  if (!length) return false;
  rules::PathArg value{std::string_view(c.bufs.in[k].data(), *length), std::nullopt};
  std::string_view why;
  c.named_dir = {};
  value.resolved = resolve_arg(c, arg, k, base, ruled, value.passed, why);
  a = Decided{};
  a.arg = arg;
  a.base = base;
  a.value = value;
  a.why = why;
  if (!ruled) return true;
  a.d = c.m.decide(c.rules_of_call, arg, value, c.bufs.out[k], &c.state);
  redecide_on_file_dirfd(c, arg, k, base, value, a);
  std::optional<bool> reached;
  if (value.resolved && (a.d.rule == nullptr || a.d.rule->resolved)) {
    const auto* raw = reinterpret_cast<const std::uint64_t*>(c.call.args.data());
    auto sys = rules::syscall_from_number(static_cast<int>(c.call.nr), AUDIT_ARCH_X86_64);
    const bool follows =
        sys && rules::follows_last_link(*sys, arg, std::span(raw, 6), AUDIT_ARCH_X86_64);
    reached = c.view.finish(static_cast<unsigned>(k), arg, follows, *value.resolved, a.d,
                            c.bufs.out[k]);
  }
  if (a.d.action == Action::rewrite && walk_is_confined(c.call) &&
      !rules::keep_below_dirfd(c.named_dir, a.d, c.bufs.out[k])) {
    a.d = rules::Decision{};  // the walk must stay below the dirfd: left as the program made it
    a.confined = true;
  }
  if (a.d.action == Action::rewrite)
    a.same = reached ? *reached
                     : a.d.replacement == (a.d.rule->resolved && value.resolved ? *value.resolved
                                                                                : value.passed);
  return true;
}

// --- The record of what was decided (call_record.h), for redirect's log and --stats.

void begin_record(CallRecord& r, const CallArgs& call, bool traced) {
  r.header = blank_header();
  r.header.nr = static_cast<std::int32_t>(call.nr);
  if (traced) r.header.open_flags = open_flags_of(call.nr, call.args, call.tid);
  r.wanted = traced;  // the trace records every call it traps
}

void record_call_rule(CallRecord& r, const rules::Decision& d) {
  if (d.action == Action::none) return;
  r.header.call_action = static_cast<std::uint8_t>(d.action);
  r.header.call_rule = d.rule ? static_cast<std::int32_t>(d.rule->id) : -1;
  r.header.call_error = d.error;
  r.wanted = true;
}

std::uint16_t length_of(std::string_view s) { return static_cast<std::uint16_t>(s.size()); }

void record_args(CallRecord& r, std::span<const Decided> args) {
  r.header.arg_count = static_cast<std::uint8_t>(args.size());
  for (std::size_t k = 0; k < args.size(); ++k) {
    const Decided& a = args[k];
    RecordArg& out = r.header.args[k];
    out.arg = static_cast<std::uint8_t>(a.arg);
    out.action = static_cast<std::uint8_t>(a.d.action);
    out.rule = a.d.rule ? static_cast<std::int32_t>(a.d.rule->id) : -1;
    out.error = a.d.error;
    out.flags = static_cast<std::uint8_t>(
        (a.same ? kSame : 0) | (a.target_kept ? kTargetKept : 0) |
        (is_socket(a.base) ? kSocket : 0) | (a.confined ? kConfined : 0) |
        (a.d.match_error ? kMatchError : 0) | (a.value.resolved ? kResolved : 0));
    const std::string_view strings[4] = {a.value.passed, a.value.resolved.value_or(""),
                                         a.d.replacement, a.why};
    for (std::size_t i = 0; i < 4; ++i) r.strings[4 * k + i] = {strings[i].data(), strings[i].size()};
    out.passed_len = length_of(strings[0]);
    out.resolved_len = length_of(strings[1]);
    out.replacement_len = length_of(strings[2]);
    out.why_len = length_of(strings[3]);
    r.wanted |= a.d.action != Action::none || !a.why.empty() || a.confined;
  }
}

// A call the rules fail: -errno, or under --dry-run 0 (it runs as the program made it).
long failed(CallRecord* r, bool dry_run, int error) {
  if (dry_run) return 0;
  if (r) {
    r->header.applied = RecordApplied::failed;
    r->header.fail_errno = error;
  }
  return -error;
}

// The arguments to decide: those the rules name, then (for a traced call) every other path
// argument, as the ptrace Rewriter reads them for trace. Their count.
std::size_t arguments_to_decide(const rules::SyscallRules& rules_of_call, const CallArgs& call,
                                bool traced, std::span<Wanted, rules::kSyscallArgs> out) {
  std::size_t n = 0;
  if (rules_of_call)
    for (std::uint8_t arg : rules_of_call.args()) out[n++] = {arg, rules_of_call.base(arg), true};
  if (!traced) return n;
  std::array<rules::PathArgument, rules::kSyscallArgs> paths;
  const std::size_t count = rules::path_arguments(call.nr, AUDIT_ARCH_X86_64, paths);
  for (std::size_t i = 0; i < count; ++i) {
    const auto ruled = [&](const Wanted& w) { return w.arg == paths[i].reg; };
    if (std::none_of(out.begin(), out.begin() + n, ruled)) out[n++] = {paths[i].reg, paths[i].base, false};
  }
  return n;
}

// An insertion sort of at most six arguments by register (std::sort's unrolled threshold
// makes GCC warn about bounds it never reaches).
void sort_by_argument(std::span<Decided> args) {
  for (std::size_t i = 1; i < args.size(); ++i)
    for (std::size_t j = i; j > 0 && args[j].arg < args[j - 1].arg; --j) std::swap(args[j], args[j - 1]);
}

// `trace --no-host-writes`: the errno a write the rules left alone fails with, or 0
// (rules/host_writes.h, the ptrace trace's decision too).
int refused_host_write(const Runtime& rt, const CallArgs& call, std::span<const Decided> args,
                       rules::HostFs& fs) {
  auto sys = rules::syscall_from_number(static_cast<int>(call.nr), AUDIT_ARCH_X86_64);
  if (!sys) return 0;
  std::array<rules::CallPath, rules::kSyscallArgs> paths;
  std::size_t n = 0;
  for (const Decided& a : args)
    if (rules::is_path(a.base)) paths[n++] = {a.d.action, a.value.resolved.value_or("")};
  return rules::host_write_error(*sys, open_flags_of(call.nr, call.args, call.tid),
                                 std::span(paths.data(), n), rt.config.host_write_root, fs);
}

}  // namespace

long apply_rules(const Runtime& rt, CallArgs& call, RewriteBuffers& bufs) {
  const rules::Matcher& m = *rt.matcher;
  CallRecord* record = rt.config.record_fd >= 0 ? &bufs.record : nullptr;
  if (record) record->wanted = false;
  const rules::SyscallRules rules_of_call = m.find(call.nr);
  const bool traced = rt.traced.traced(call.nr);
  if (!rules_of_call && !traced) return 0;
  const bool dry_run = rt.config.dry_run;
  if (record) begin_record(*record, call, traced);
  alignas(16) std::byte state_memory[rules::MatchState::memory_needed(kMaxCaptures)];
  rules::MatchState state(rt.max_captures, state_memory);
  if (!state.ok()) return -ENOMEM;  // cannot decide: fail closed rather than pass it through
  if (rules_of_call.has_call_rules()) {
    rules::Decision d = m.decide_call(rules_of_call, &state);
    if (record) record_call_rule(*record, d);
    if (rules::fails_call(d.action)) return failed(record, dry_run, d.error);
    // A whole-call allow decides the call: no argument is read, as under ptrace (a call with
    // whole-call rules has no string arguments today: rules/targets.cpp).
    if (d.action != Action::none) return 0;
  }
  SelfFs fs;
  rules::ViewResolver view(rt.reverse, fs, &state);
  CallContext c{m, rules_of_call, state, view, call, bufs, traced, {}};
  std::array<Wanted, rules::kSyscallArgs> wanted;
  const std::size_t asked = arguments_to_decide(rules_of_call, call, traced, wanted);
  std::array<Decided, rules::kSyscallArgs> decided;
  std::size_t count = 0;
  for (std::size_t i = 0; i < asked; ++i) {
    const Wanted w = wanted[i];
    if (!decide_arg(c, w.arg, count, w.base, w.ruled, decided[count])) {
      if (record && !is_socket(w.base)) {
        ++record->header.unreadable;  // left to the kernel (EFAULT), counted as under ptrace
        record->wanted = true;
      }
      continue;
    }
    if (rules::fails_call(decided[count].d.action)) {
      if (record) record_args(*record, std::span(decided.data(), count + 1));
      return failed(record, dry_run, decided[count].d.error);
    }
    ++count;
  }
  // In argument order, as the ptrace trace reports them. Only a traced call gets arguments
  // appended; a call with a socket address (connect, sendmsg...) has that one path argument
  // alone, so a socket's slot (bufs.sockets[i]) stays its index.
  if (traced) sort_by_argument(std::span(decided.data(), count));
  keep_link_targets_in_bundle(std::span(decided.data(), count));
  if (record) record_args(*record, std::span(decided.data(), count));
  if (traced && !rt.config.host_write_root.empty())
    if (const int error = refused_host_write(rt, call, std::span(decided.data(), count), fs))
      return -error;  // the call is not made: its result, as the ptrace trace's veto gives it
  if (dry_run) return 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Decided& a = decided[i];
    if (a.d.action != Action::rewrite || a.same || a.target_kept) continue;
    if (is_socket(a.base))
      put_socket_path(call.args.data(), a.arg, a.base, bufs.sockets[i], a.d.replacement);
    else
      call.args[a.arg] = reinterpret_cast<long>(a.d.replacement.data());
    if (record) record->header.applied = RecordApplied::patched;
  }
  return 0;
}

}  // namespace redirect::inproc
