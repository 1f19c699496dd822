// host_write_error (see host_writes.h): a PathEvent as rules::host_write_error's inputs.
#include "cli/host_writes.h"

#include <vector>

#include "rules/host_writes.h"

namespace redirect::cli {
namespace {

// The file system as `exists` tells it: only lstat is asked.
class ExistsFs final : public rules::HostFs {
 public:
  explicit ExistsFs(const std::function<bool(const std::string&)>& exists) : exists_(exists) {}
  rules::NodeKind lstat(const char* path) override {
    return exists_(path) ? rules::NodeKind::other : rules::NodeKind::missing;
  }
  std::optional<std::size_t> readlink(const char*, std::span<char>) override {
    return std::nullopt;
  }
  bool walks_without_links(const char*) override { return false; }

 private:
  const std::function<bool(const std::string&)>& exists_;
};

}  // namespace

int host_write_error(const engine::PathEvent& e, std::string_view root,
                     const std::function<bool(const std::string&)>& exists) {
  std::vector<rules::CallPath> paths;
  for (const engine::PathEventArg& a : e.args) paths.push_back({a.action, a.resolved});
  ExistsFs fs(exists);
  return rules::host_write_error(e.sys, e.open_flags, paths, root, fs);
}

}  // namespace redirect::cli
