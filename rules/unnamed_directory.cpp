// read_directory_link (see unnamed_directory.h). Allocates nothing: the in-process backend
// calls it from its SIGSYS handler.
#include "rules/unnamed_directory.h"

namespace redirect::rules {

DirectoryLink read_directory_link(std::string_view text, std::size_t capacity) {
  using Kind = DirectoryLink::Kind;
  if (text.size() >= capacity) return {Kind::unnamed, unnamed::name_too_long};
  if (text.empty() || text.front() != '/') return {Kind::unnamed, unnamed::not_a_file};
  if (text.ends_with(" (deleted)")) return {Kind::maybe_deleted, {}};
  return {Kind::named, {}};
}

}  // namespace redirect::rules
