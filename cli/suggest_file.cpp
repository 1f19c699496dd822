// host_file_system, the data directories and the combined rule file (see suggest_file.h).
#include "cli/suggest_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/rule_set.h"

namespace redirect::cli {
namespace {

// The rule file text of `path` without its `version = N` line, to follow ours.
std::optional<std::string> rules_without_version(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string text, line;
  bool tables = false;  // past the first [[rule]] or [table]: a "version" there is no top key
  while (std::getline(in, line)) {
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    if (t.starts_with('[')) tables = true;
    std::size_t after = t.starts_with("version") ? t.find_first_not_of(" \t", 7) : 0;
    if (!tables && after != 0 && after != std::string_view::npos && t[after] == '=') continue;
    text += line + "\n";
  }
  return text;
}

}  // namespace

FileSystemView host_file_system() {
  FileSystemView fs;
  fs.exists = [](const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
  };
  fs.is_dir = [](const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  };
  fs.list = [](const std::string& path) -> std::optional<std::vector<std::string>> {
    std::error_code ec;
    std::filesystem::directory_iterator it(path, ec);
    if (ec) return std::nullopt;
    std::vector<std::string> names;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
      if (ec) return std::nullopt;
      names.push_back(it->path().filename().string());
    }
    std::ranges::sort(names);
    return names;
  };
  return fs;
}

// The program found these on the host (its package made them), so it does not make them.
void make_data_dirs(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (std::filesystem::create_directories(dir, ec))
      fmt::print(stderr, "redirect trace: created {} for the data rules\n", dir);
    else if (ec)
      fmt::print(stderr, "redirect trace: cannot create {}: {}\n", dir, ec.message());
  }
}

bool output_allowed(std::string_view option, const std::string& path,
                    const std::vector<std::string>& rule_paths, bool replace) {
  if (path == "-") return true;
  if (std::optional<std::string> rules = rule_file_among(path, rule_paths)) {
    fmt::print(stderr,
               "redirect trace: {} {}: that is the rule file {} given with --rules; it is never "
               "overwritten{}\n",
               option, path, *rules,
               option == "-o" ? " (-o writes the given rules and the new ones: name another file)"
                              : "");
    return false;
  }
  std::error_code ec;
  if (!replace && std::filesystem::exists(path, ec)) {
    fmt::print(stderr, "redirect trace: {} {}: the file exists; --force replaces it\n", option,
               path);
    return false;
  }
  return true;
}

std::optional<std::string> combined_rules(const Suggestion& s,
                                          const std::vector<std::string>& rule_paths) {
  std::string text = s.header;
  if (!rule_paths.empty())
    text += "# It holds the rules given with --rules (first, as they were) and the new ones.\n";
  text += "version = 1\n";
  for (const std::string& path : rule_paths) {
    std::optional<std::string> given = rules_without_version(path);
    if (!given) {
      fmt::print(stderr, "redirect trace: cannot read {} again: {}\n", path,
                 std::strerror(errno));
      return std::nullopt;
    }
    text += fmt::format("\n# ---- from {} ----\n{}", path, *given);
  }
  if (!rule_paths.empty()) text += "\n# ---- suggested by this trace ----\n";
  return text + s.rules;
}

bool write_file(const std::string& path, const std::string& text, bool replace) {
  std::FILE* f = std::fopen(path.c_str(), replace ? "w" : "wx");
  if (!f) return false;
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace redirect::cli
