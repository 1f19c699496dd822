// Fuzz target: the lint pass and the matcher compile on rule values the TOML syntax does not
// have to produce first. loader_fuzz spends most inputs on TOML syntax; here the bytes build
// Rule values directly (any syscall name, class, unknown or string-less syscall, argument
// indexes out of range or negative, arbitrary patterns and replacements, every action), so
// the fuzzer reaches rule_targets(), the catch-all probes, the shadowing checks, decide() and
// decide_call() with combinations no hand-written test lists. Diagnostics are the only
// acceptable reaction to bad values: a crash, a sanitizer report or an escaping exception is a
// bug. Positions stay inside the fuzzed source text or are line 0, as the loader guarantees.
// The matcher is compiled for one of x86_64, i386 and aarch64 per input (picked by the input).
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <linux/audit.h>
#include <string>
#include <string_view>
#include <vector>

#include "rules/lint.h"
#include "rules/matcher.h"

namespace {

using namespace redirect::rules;

constexpr std::array<const char*, 16> names{
    "openat", "open", "execve", "renameat2", "%file", "%process", "%desc", "%network",
    "io_uring_setup", "getpid", "fanotify_mark", "mount", "opnat", "%nope", "", "link"};

SourcePos some_pos(FuzzedDataProvider& fdp, std::uint32_t lines) {
  auto line = fdp.ConsumeIntegralInRange<std::uint32_t>(0, lines + 1);
  return {line, line == 0 ? 0 : fdp.ConsumeIntegralInRange<std::uint32_t>(1, 200)};
}

LocatedText some_text(FuzzedDataProvider& fdp, std::uint32_t lines) {
  LocatedText t;
  t.value = fdp.ConsumeRandomLengthString(64);
  t.pos = some_pos(fdp, lines);
  if (fdp.ConsumeBool())  // the loader's byte map: one position per byte and one for the end
    for (std::size_t i = 0; i <= t.value.size(); ++i) t.positions.push_back(some_pos(fdp, lines));
  return t;
}

Rule some_rule(FuzzedDataProvider& fdp, const std::string& path, std::size_t index,
               std::uint32_t lines) {
  Rule r;
  r.path = path;
  r.pos = some_pos(fdp, lines);
  r.index = index;
  r.name = {fdp.ConsumeBool() ? fdp.ConsumeRandomLengthString(16) : "rule " + std::to_string(index),
            some_pos(fdp, lines)};
  auto count = fdp.ConsumeIntegralInRange<int>(0, 4);
  for (int i = 0; i < count; ++i) {
    // Mostly known words: an unknown one costs a did-you-mean scan of the whole table.
    std::string name = fdp.ConsumeIntegralInRange<int>(0, 3) != 0
                           ? names[fdp.ConsumeIntegralInRange<std::size_t>(0, names.size() - 1)]
                           : fdp.ConsumeRandomLengthString(12);
    r.syscalls.push_back({name, some_pos(fdp, lines)});
  }
  if (fdp.ConsumeBool()) {
    r.args.emplace();
    auto n = fdp.ConsumeIntegralInRange<int>(0, 3);
    for (int i = 0; i < n; ++i)
      r.args->push_back({fdp.ConsumeIntegralInRange<std::int64_t>(-2, 7), some_pos(fdp, lines)});
  }
  r.match = some_text(fdp, lines);
  auto action = fdp.ConsumeIntegralInRange<int>(0, 2);
  r.action = {static_cast<Action>(action), some_pos(fdp, lines)};
  // The loader's invariants: rewrite has a replacement, deny/allow do not; errno only on deny.
  if (r.action.value == Action::rewrite) r.replace = some_text(fdp, lines);
  if (r.action.value == Action::deny) {
    r.errno_value = fdp.ConsumeIntegralInRange<int>(1, 133);
    if (fdp.ConsumeBool()) r.errno_name = Located<std::string>{"ENOENT", some_pos(fdp, lines)};
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  std::vector<RuleFile> files(fdp.ConsumeIntegralInRange<std::size_t>(1, 2));
  std::size_t n = 0;
  for (RuleFile& f : files) {
    f.path = "fuzz" + std::to_string(n) + ".toml";
    f.source = fdp.ConsumeRandomLengthString(200);
    std::uint32_t lines = 1;
    for (char c : f.source) lines += c == '\n';
    auto rules = fdp.ConsumeIntegralInRange<int>(0, 5);
    for (int i = 0; i < rules; ++i) f.rules.push_back(some_rule(fdp, f.path, i + 1, lines));
    ++n;
  }
  std::string subject = fdp.ConsumeRemainingBytesAsString();

  Diagnostics diags;
  lint_rules(compile_rules(files, diags), diags);
  static constexpr std::uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386,
                                             AUDIT_ARCH_AARCH64};
  auto matcher = Matcher::compile(files, arches[subject.size() % 3], diags);
  if (matcher) {
    static char out[4096];
    for (int nr : matcher->traced_numbers()) {
      if (matcher->find(nr).has_call_rules()) (void)matcher->decide_call(matcher->find(nr));
      for (auto arg : matcher->find(nr).args())
        (void)matcher->decide(nr, arg, std::string_view(subject).substr(0, subject.find('\0')),
                              out);
      (void)matcher->syscall_name(nr);
    }
  }
  for (const Diagnostic& d : diags.all())
    for (const RuleFile& f : files) (void)format_text_with_caret(d, f.source);
  (void)format_json(diags.all());
  return 0;
}
