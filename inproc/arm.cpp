// arm() (see arm.h): everything that allocates happens here, before the handler is installed:
// rule files loaded and compiled (the ptrace run's loader and Matcher), every pattern's JIT
// code made now (compiling it later, in the handler, would allocate), the strings an exec
// re-injects built. Then the handler goes in and dispatch is armed, in that order, so the
// first trapped call already has a handler.
#include "inproc/arm.h"

#include <linux/audit.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "inproc/lazy_sites.h"
#include "inproc/path_rewrite.h"
#include "inproc/private_altstack.h"
#include "inproc/raw_syscall.h"
#include "inproc/record_channel.h"
#include "inproc/runtime.h"
#include "inproc/sigsys_handler.h"
#include "inproc/sud.h"
#include "rules/diagnostic.h"
#include "rules/loader.h"
#include "rules/regex.h"

namespace redirect::inproc {
namespace {

// The @{VAR} values recorded when redirect started; a name it did not record is unset.
rules::EnvLookup recorded_env(const Config& config) {
  return [&config](std::string_view name) -> std::optional<std::string> {
    for (const auto& [n, v] : config.env)
      if (n == name) return v;
    return std::nullopt;
  };
}

std::optional<std::string> load_rules(Runtime& rt) {
  rules::Diagnostics diags;
  const rules::EnvLookup env = recorded_env(rt.config);
  for (const std::string& path : rt.config.rule_files)
    rt.files.push_back(rules::load_rule_file(path, env, diags));
  if (diags.error_count() == 0) rt.matcher = rules::Matcher::compile(rt.files, AUDIT_ARCH_X86_64, diags);
  if (diags.error_count() == 0 && rt.matcher) return std::nullopt;
  std::string text;
  for (const rules::Diagnostic& d : diags.all()) {
    std::string_view source;
    for (const rules::RuleFile& f : rt.files)
      if (f.path == d.path) source = f.source;
    text += rules::format_text_with_caret(d, source);
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
  return text;
}

// Every pattern made ready for the handler: JIT code compiled, few enough groups for the
// MatchState each call makes.
std::optional<std::string> prepare_patterns(Runtime& rt) {
  for (const rules::CompiledRule& r : rt.matcher->rules()) {
    if (!r.regex) continue;
    if (r.regex->capture_count() > kMaxCaptures)
      return fmt::format("{}:{}:{}: rule {} has {} capturing groups; --backend inproc allows {}",
                         r.path, r.pos.line, r.pos.column, r.label, r.regex->capture_count(),
                         kMaxCaptures);
    rt.max_captures = std::max(rt.max_captures, r.regex->capture_count());
    if (!r.regex->prepare())
      return fmt::format("{}:{}:{}: PCRE2 cannot JIT-compile the pattern of rule {} (the "
                         "in-process backend cannot match without allocating)",
                         r.path, r.pos.line, r.pos.column, r.label);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> arm(const Config& config) {
  auto rt = std::make_unique<Runtime>();
  rt->config = config;
  if (auto e = load_rules(*rt)) return e;
  if (auto e = prepare_patterns(*rt)) return e;
  rt->reverse = rules::ReverseIndex(rt->matcher->rules());
  rt->getcwd_reverse =
      rules::ReverseIndex(rt->matcher->rules(), rules::ReverseIndex::Use::getcwd);
  if (config.trace) rt->traced.add_every_path_call();
  rt->ld_audit_entry = "LD_AUDIT=" + config.library;
  rt->config_entry = std::string(kConfigVariable) + "=" + encode_config(config);
  set_runtime(rt.get());
  init_lazy_sites();
  if (long r = install_sigsys_handler(); r != 0) {
    set_runtime(nullptr);
    return fmt::format("cannot install the SIGSYS handler: {}", std::strerror(static_cast<int>(-r)));
  }
  // Without it (a seccomp filter of the program's refuses our mmap), traps land on the
  // program's stack, and a call that needs the private stack runs unredirected with a notice
  // (sigsys_handler.cpp): the program still runs, as it would without us.
  (void)arm_private_altstack(static_cast<int>(raw_syscall(SYS_gettid)));
  if (long r = arm_dispatch(); r != 0) {
    set_runtime(nullptr);
    return r == -EINVAL
               ? std::string("the kernel has no Syscall User Dispatch (needs Linux >= 5.11 on "
                             "x86_64), or it is armed already")
               : fmt::format("prctl(PR_SET_SYSCALL_USER_DISPATCH): {}",
                             std::strerror(static_cast<int>(-r)));
  }
  send_armed_record(*rt);  // an exec that started this program succeeded (record_channel.h)
  rt.release();  // lives as long as the process: the handler reads it until the end
  return std::nullopt;
}

}  // namespace redirect::inproc
