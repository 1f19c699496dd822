// DirViewCache (see dir_view_cache.h). A hit costs a length test and a memcmp of the name
// (and, for a directory inside a replacement, a few slot comparisons); a store copies the name
// and, per slot, the view.
#include "rules/dir_view_cache.h"

#include <cstring>

namespace redirect::rules {

const DirView* DirViewCache::find(std::string_view name, const Slot& slot) const {
  if (!have_name_ || name.size() != name_length_ ||
      std::memcmp(name.data(), name_.data(), name.size()) != 0)
    return nullptr;
  if (!per_slot_) return &plain_;
  for (std::size_t i = 0; i < slots_used_; ++i)
    if (slots_[i].slot == slot) return &slots_[i].d;
  return nullptr;
}

const DirView& DirViewCache::store(std::string_view name, const Slot& slot, bool per_slot,
                                   const DirView& d) {
  if (name.size() >= name_.size() || d.view.size() >= name_.size()) return d;
  const bool same_name = have_name_ && name.size() == name_length_ &&
                         std::memcmp(name.data(), name_.data(), name.size()) == 0;
  if (!same_name) {
    std::memcpy(name_.data(), name.data(), name.size());
    name_length_ = name.size();
    have_name_ = true;
    slots_used_ = next_slot_ = 0;
  }
  per_slot_ = per_slot;
  if (!per_slot) {
    plain_ = d;
    plain_.view = std::string_view(name_.data(), name_length_);
    return plain_;
  }
  SlotView& s = slots_[next_slot_];
  next_slot_ = (next_slot_ + 1) % slots_.size();
  if (slots_used_ < slots_.size()) ++slots_used_;
  s.slot = slot;
  s.d = d;
  std::memcpy(s.text.data(), d.view.data(), d.view.size());
  s.d.view = std::string_view(s.text.data(), d.view.size());
  return s.d;
}

}  // namespace redirect::rules
