// Fuzz target: arbitrary bytes as a rule file, through everything `redirect lint` does (load,
// compile for x86_64, lint). Any crash, sanitizer report or exception escaping is a bug: bad
// input must only ever produce diagnostics.
#include <cstddef>
#include <cstdint>
#include <linux/audit.h>
#include <string_view>

#include "rules/lint.h"
#include "rules/loader.h"
#include "rules/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace redirect::rules;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  EnvLookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/f.u+zz");
    if (name == "EMPTY") return std::string();
    return std::nullopt;
  };
  Diagnostics diags;
  std::vector<RuleFile> files;
  files.push_back(parse_rules("fuzz.toml", text, env, diags));
  auto matcher = Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  lint_rules(compile_rules(files, diags), diags);
  for (const auto& d : diags.all()) (void)format_text_with_caret(d, text);
  (void)format_json(diags.all());
  if (matcher) {
    // Exercise decide() on a few strings for every traced syscall.
    static char out[4096];
    for (int nr : matcher->traced_numbers())
      for (auto arg : matcher->find(nr).args())
        for (std::string_view s : {std::string_view("/etc/hello/x"), text.substr(0, 64)})
          (void)matcher->decide(nr, arg, s, out);
  }
  return 0;
}
