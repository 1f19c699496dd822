// Scratch layouts: pure arithmetic (see scratch.h).
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

std::optional<ScratchLayout> layout_in_slot(RemotePtr base, std::size_t capacity,
                                            std::span<const std::size_t> sizes) {
  ScratchLayout out;
  if (sizes.size() > out.at.size()) return std::nullopt;
  std::size_t used = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    used = (used + 15) & ~std::size_t{15};
    if (sizes[i] > capacity || used > capacity - sizes[i]) return std::nullopt;
    out.at[i] = RemotePtr{base.addr + used};
    used += sizes[i];
  }
  out.lowest = base;
  return out;
}

}  // namespace redirect::engine
