// A directory's name in the program's view, kept from one relative path to the next. Before a
// relative name is matched, its directory (the working directory, a dirfd's) is read back
// through the prefix rules (prefix_map.h) and checked for what the join must collapse. Both
// depend on the directory's text alone, and the reading back on which argument's rules check
// it, never on the file system: so they are kept keyed by that text and slot, and are exact
// by construction (a working directory renamed or changed gives another text, which misses;
// nothing has to be told to drop them). A thread's relative paths then cost one comparison of
// the name, not a scan of it, a search of the reverse index and a rule's match per call.
#pragma once

#include <climits>

#include <array>
#include <cstddef>
#include <string_view>

#include "rules/matcher.h"

namespace redirect::rules {

struct CompiledRule;

/// What resolving a relative name needs to know about its directory.
struct DirView {
  std::string_view view;  ///< the directory in the program's view (its name, if not read back)
  const CompiledRule* by = nullptr;  ///< the prefix rule that read it back; null: view is the name
  bool name_clean = false;  ///< the name is_clean_dir() (path_text.h)
  bool view_clean = false;  ///< the view is_clean_dir()
};

class DirViewCache {
 public:
  /// The argument whose rules a directory is read back with (the RuleMap of view_resolver).
  struct Slot {
    const Matcher* m = nullptr;
    SyscallRules call;
    unsigned arg = 0;
    friend bool operator==(const Slot&, const Slot&) = default;
  };

  /// What is kept for directory `name` and `slot`, or null. Valid until the next store().
  [[nodiscard]] const DirView* find(std::string_view name, const Slot& slot) const;

  /// Keeps `d`, computed for `name` and `slot`; `per_slot`: some prefix rule's replacement
  /// holds `name`, so the view depends on the slot (else it is `name` for every slot). Returns
  /// the kept copy, whose view points into the cache; `d` itself when `name` or its view does
  /// not fit (PATH_MAX).
  const DirView& store(std::string_view name, const Slot& slot, bool per_slot, const DirView& d);

 private:
  struct SlotView {
    Slot slot;
    DirView d;
    std::array<char, PATH_MAX> text;  // left uninitialised: only the bytes written are read
  };
  std::size_t name_length_ = 0;
  bool have_name_ = false;
  bool per_slot_ = false;
  DirView plain_;      // !per_slot_: the view is the name
  std::size_t slots_used_ = 0, next_slot_ = 0;
  std::array<SlotView, 4> slots_;  // per_slot_: the views of the last few slots
  std::array<char, PATH_MAX> name_;
};

}  // namespace redirect::rules
