// See rule_set.h. Sorting happens here, at output, because problems are found phase by phase
// (TOML, keys, syscalls, patterns) and a reader wants them in file order.
#include "cli/rule_set.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "rules/loader.h"

namespace redirect::cli {

std::vector<rules::RuleFile> load_rule_files(const std::vector<std::string>& paths,
                                             rules::Diagnostics& diags,
                                             const rules::EnvLookup& env,
                                             rules::UnsetVariables unset) {
  std::vector<rules::RuleFile> files;
  files.reserve(paths.size());
  for (const auto& path : paths) files.push_back(rules::load_rule_file(path, env, diags, unset));
  return files;
}

std::vector<rules::Diagnostic> sorted_diagnostics(const rules::Diagnostics& diags,
                                                  const std::vector<rules::RuleFile>& files) {
  auto rank = [&](const std::string& path) {
    for (std::size_t i = 0; i < files.size(); ++i)
      if (files[i].path == path) return i;
    return files.size();
  };
  std::vector<rules::Diagnostic> list = diags.all();
  std::stable_sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
    auto ra = rank(a.path), rb = rank(b.path);
    if (ra != rb) return ra < rb;
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.column < b.pos.column;
  });
  return list;
}

void print_diagnostics(const rules::Diagnostics& diags,
                       const std::vector<rules::RuleFile>& files) {
  for (const auto& d : sorted_diagnostics(diags, files)) {
    std::string_view source;
    for (const auto& f : files)
      if (f.path == d.path) source = f.source;
    std::string text = rules::format_text_with_caret(d, source);
    std::fputs(text.c_str(), stderr);
    if (text.empty() || text.back() != '\n') std::fputc('\n', stderr);
  }
}

std::optional<std::string> rule_file_among(const std::string& path,
                                          const std::vector<std::string>& rule_paths) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path mine = fs::absolute(path, ec).lexically_normal();
  for (const std::string& r : rule_paths) {
    std::error_code same, abs;
    if (fs::equivalent(path, r, same)) return r;
    if (!ec && fs::absolute(r, abs).lexically_normal() == mine && !abs) return r;
  }
  return std::nullopt;
}

}  // namespace redirect::cli
