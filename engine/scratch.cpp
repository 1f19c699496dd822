// Scratch layout below the stack pointer: pure arithmetic, kept apart so a unit test pins the
// alignment and red-zone rules (see scratch.h).
#include "engine/scratch.h"

namespace redirect::engine {

std::optional<ScratchLayout> layout_scratch(std::uint64_t sp, unsigned red_zone,
                                            std::span<const std::size_t> sizes) {
  ScratchLayout out;
  if (sizes.size() > out.at.size() || sp < red_zone) return std::nullopt;
  std::uint64_t top = sp - red_zone;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (top < sizes[i] + 16) return std::nullopt;
    top = (top - sizes[i]) & ~std::uint64_t{15};
    out.at[i] = RemotePtr{top};
  }
  out.lowest = RemotePtr{top};
  return out;
}

}  // namespace redirect::engine
