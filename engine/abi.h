// The syscall ABIs this build of the engine can meet, as the rest of the program may ask for
// them without knowing any arch header: the host's own (x86_64 or aarch64) first, then any
// other the kernel runs in the same process (i386 via `int $0x80` or a 32-bit program on
// x86_64). The surprise it guards against: a personality without a row in the syscall table's
// known arches would get an empty Matcher, so its programs would run unrewritten without a
// word; that is a compile-time error here instead.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/arch/native.h"
#include "rules/syscall_table.h"

namespace redirect::engine {

static_assert(std::ranges::all_of(arch::native::personalities,
                                  [](const arch::Personality& p) {
                                    return std::ranges::any_of(
                                        rules::kKnownArches, [&](const rules::ArchName& k) {
                                          return k.audit_arch == p.audit_arch;
                                        });
                                  }),
              "every personality of engine/arch needs a row in rules::kKnownArches and numbers "
              "in rules/gen");

/// How many ABIs a tracee may use on this host (SyscallEntry::abi indexes them).
inline constexpr std::size_t abi_count = std::size(arch::native::personalities);

/// The AUDIT_ARCH_* value of the host's own ABI (rules compiled for `lint` and `explain`).
[[nodiscard]] constexpr std::uint32_t host_audit_arch() {
  return arch::native::personalities[0].audit_arch;
}

/// The host ABI's name: "x86_64", "aarch64".
[[nodiscard]] constexpr std::string_view host_arch_name() {
  return arch::native::personalities[0].name;
}

/// The AUDIT_ARCH_* value of every ABI, the host's first (a run compiles a Matcher for each).
[[nodiscard]] constexpr std::array<std::uint32_t, abi_count> audit_arches() {
  std::array<std::uint32_t, abi_count> out{};
  for (std::size_t i = 0; i < abi_count; ++i) out[i] = arch::native::personalities[i].audit_arch;
  return out;
}

}  // namespace redirect::engine
