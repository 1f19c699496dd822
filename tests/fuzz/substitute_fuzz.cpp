// Fuzz target: the substitution a rewrite performs (Regex::match then substitute_last_match),
// with arbitrary subject strings, against the patterns the examples use and against arbitrary
// patterns and replacements that pass compile() and Replacement::parse(), as the loader
// requires. The surprise it guards against: substitute_last_match() writes into a fixed
// buffer (PATH_MAX in the engine) and must say "does not fit" exactly when the result plus its
// NUL is longer than the buffer, never truncate, never write past it, and never throw for a
// replacement Replacement::parse() accepted (a logic_error there would kill the tracer). The
// engine substitutes through Replacement::expand, which parses the replacement once; it must
// give the same bytes and the same "does not fit" as pcre2_substitute() at every buffer size.
//
// Input: one byte choosing the mode, then
//   mode even: one byte picking a known (pattern, replacement), the rest is the subject;
//   mode odd:  pattern, replacement (FuzzedDataProvider random-length strings), then subject.
// A subject stops at its first NUL, as the engine's string reader stops there.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "rules/regex.h"
#include "rules/replacement.h"

namespace {

using redirect::rules::Regex;
using redirect::rules::Replacement;

struct Known {
  const char* pattern;
  const char* replacement;
};

// From examples/*.toml (with @{SNAP} expanded) plus the reference forms docs/rules.md lists.
constexpr std::array<Known, 10> known{{
    {R"(^(.*/)?TWO\.txt$)", "${1}ONE.txt"},
    {R"(^/etc(/.*)?$)", "/snap/app/x1/etc$1"},
    {R"(^/etc/(motd|passwd|group)$)", "/snap/app/x1/etc/$1"},
    {R"(^/home/u/(\.gitconfig(\.lock)?)$)", "/home/u/snap/app/x1/$1"},
    {R"(^/usr/share/zoneinfo(/.*)?$)", "/snap/app/x1/usr/share/zoneinfo$1"},
    {R"(^/redirect-virtual/(?<rest>.*)$)", "/real/${rest}/$$"},
    {R"(^(.*)$)", "$1"},
    {R"(^(.*)$)", "$1/$1/$1/$1/$1/$1/$1/$1"},
    {R"(x)", "${0}${0}"},
    {R"((a)|(b))", "[$1|$2]"},
}};

// The engine's buffer size, and a few others around the edges of a result.
constexpr std::size_t path_max = 4096;

void check_substitution(const Regex& re, std::string_view subject, const Replacement& parsed,
                        FuzzedDataProvider& fdp) {
  const std::string_view replacement = parsed.text();
  if (!re.match(subject)) return;
  // A buffer large enough for anything short of pathological: the reference result.
  static std::vector<char> big(1 << 20);
  auto full = re.substitute_last_match(subject, replacement, big);
  if (full && (*full >= big.size() || big[*full] != '\0')) std::abort();

  std::size_t sizes[] = {path_max, fdp.ConsumeIntegralInRange<std::size_t>(1, 300),
                         full ? *full + 1 : 1, full && *full > 0 ? *full : 1};
  for (std::size_t size : sizes) {
    // Guard bytes after the buffer: the result must never run into them.
    std::vector<char> out(size + 16, '\x5a');
    if (!re.match(subject)) std::abort();  // the same subject matches the same way again
    auto got = re.substitute_last_match(subject, replacement, std::span(out.data(), size));
    for (std::size_t i = size; i < out.size(); ++i)
      if (out[i] != '\x5a') std::abort();
    if (!full) {
      if (got) std::abort();  // it fits a small buffer but not a megabyte?
      continue;
    }
    bool fits = *full + 1 <= size;
    if (got.has_value() != fits) std::abort();
    if (got && (*got != *full || std::memcmp(out.data(), big.data(), *full + 1) != 0))
      std::abort();

    std::vector<char> fast(size + 16, '\x5a');
    auto expanded = parsed.expand(re, subject, std::span(fast.data(), size));
    for (std::size_t i = size; i < fast.size(); ++i)
      if (fast[i] != '\x5a') std::abort();
    if (expanded != got) std::abort();
    if (got && std::memcmp(fast.data(), out.data(), *got + 1) != 0) std::abort();
  }
}

std::string_view until_nul(std::string_view s) { return s.substr(0, s.find('\0')); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  std::uint8_t mode = fdp.ConsumeIntegral<std::uint8_t>();
  std::string pattern, replacement;
  if (mode % 2 == 0) {
    const Known& k = known[fdp.ConsumeIntegral<std::uint8_t>() % known.size()];
    pattern = k.pattern;
    replacement = k.replacement;
  } else {
    pattern = fdp.ConsumeRandomLengthString(256);
    replacement = fdp.ConsumeRandomLengthString(256);
  }
  std::string subject_storage = fdp.ConsumeRemainingBytesAsString();
  std::string_view subject = until_nul(subject_storage);

  Regex::Error error;
  auto re = Regex::compile(pattern, error);
  if (!re) {
    if (mode % 2 == 0) std::abort();  // a known pattern must compile
    return 0;
  }
  Regex::Error bad;
  std::optional<Replacement> parsed = Replacement::parse(*re, replacement, bad);
  if (!parsed) {
    if (mode % 2 == 0) std::abort();
    return 0;
  }
  FuzzedDataProvider sizes(data, size);  // reuses the input to pick buffer sizes
  check_substitution(*re, subject, *parsed, sizes);
  return 0;
}
