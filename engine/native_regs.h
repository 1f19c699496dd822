// One 64-bit word of the tracer's own register block (arch::native::UserRegs) at a byte
// offset from the arch tables (arch/arch.h), read and written without aliasing casts.
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/arch/native.h"

namespace redirect::engine {

using NativeRegs = arch::native::UserRegs;

inline void put_reg(NativeRegs& regs, std::uint16_t offset, std::uint64_t value) {
  std::memcpy(reinterpret_cast<char*>(&regs) + offset, &value, sizeof value);
}

inline std::uint64_t get_reg(const NativeRegs& regs, std::uint16_t offset) {
  std::uint64_t v;
  std::memcpy(&v, reinterpret_cast<const char*>(&regs) + offset, sizeof v);
  return v;
}

}  // namespace redirect::engine
