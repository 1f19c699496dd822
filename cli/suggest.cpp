// suggest_rules (see suggest.h).
#include "cli/suggest.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <set>
#include <vector>

#include <fmt/format.h>

namespace redirect::cli {
namespace {

// Directories shared by every program on a host: a rule for one of them would take the host's
// own files away from the program (and from everything it runs), so files directly in them get
// a rule each instead.
constexpr std::array<std::string_view, 34> shared_dirs = {
    "/bin",          "/sbin",         "/lib",           "/lib32",         "/lib64",
    "/libx32",       "/etc",          "/opt",           "/srv",           "/tmp",
    "/var",          "/var/lib",      "/var/cache",     "/var/log",       "/var/tmp",
    "/run",          "/home",         "/root",          "/mnt",           "/media",
    "/snap",         "/usr",          "/usr/bin",       "/usr/sbin",      "/usr/lib",
    "/usr/lib64",    "/usr/libexec",  "/usr/share",     "/usr/include",   "/usr/local",
    "/usr/local/lib", "/usr/local/share", "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu"};

std::size_t depth(std::string_view dir) { return std::ranges::count(dir, '/'); }

std::string parent(std::string_view p) {
  std::size_t slash = p.rfind('/');
  return slash == 0 || slash == std::string_view::npos ? "/" : std::string(p.substr(0, slash));
}

bool under(std::string_view path, std::string_view dir) {
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

// A directory specific enough to map as a whole: two components or more, and not shared.
bool sensible(std::string_view dir) {
  return depth(dir) >= 2 && std::ranges::find(shared_dirs, dir) == shared_dirs.end();
}

std::string common_ancestor(std::string_view a, std::string_view b) {
  std::string out = "/";
  std::size_t i = 1;
  while (i <= a.size() && i <= b.size()) {
    std::size_t ea = a.find('/', i), eb = b.find('/', i);
    std::string_view ca = a.substr(i, ea == std::string_view::npos ? a.npos : ea - i);
    std::string_view cb = b.substr(i, eb == std::string_view::npos ? b.npos : eb - i);
    if (ca != cb || ca.empty()) break;
    out = std::string(a.substr(0, i + ca.size()));
    if (ea == std::string_view::npos || eb == std::string_view::npos) break;
    i = ea + 1;
  }
  return out;
}

// What one suggested rule rests on.
struct Evidence {
  std::uint64_t calls = 0;
  std::size_t paths = 0;
  std::string example;
  void add(const PathFacts& f) {
    if (calls == 0 || (f.error != 0 && example.find(" = -1 ") == std::string::npos))
      example = f.example;  // a failure is the better example
    calls += f.calls;
    ++paths;
  }
  void merge(const Evidence& o) {
    if (calls == 0 || (example.find(" = -1 ") == std::string::npos &&
                       o.example.find(" = -1 ") != std::string::npos))
      example = o.example;
    calls += o.calls;
    paths += o.paths;
  }
};

struct Suggestion {
  std::string name;
  std::string match;    // pattern, as written in the file
  std::string replace;  // replacement, as written
  std::string why;      // the comment's first words
  std::size_t depth = 0;
  Evidence evidence;
};

std::string replacement_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

std::string rule_name(std::string_view prefix, std::string_view path,
                      std::set<std::string>& taken) {
  std::string name(prefix);
  for (char c : path) {
    if (c == '/') {
      if (!name.empty() && name.back() != '-') name += '-';
    } else {
      name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')
                  ? c
                  : '_';
    }
  }
  while (name.ends_with('-')) name.pop_back();
  std::string unique = name;
  for (int n = 2; !taken.insert(unique).second; ++n) unique = fmt::format("{}-{}", name, n);
  return unique;
}

// The part of a write under $HOME that names the app: ~/.x, ~/.config/x, ~/.local/share/x.
std::string home_key(std::string_view rel) {
  std::size_t take = 1;
  if (rel.starts_with(".config/") || rel.starts_with(".cache/")) take = 2;
  if (rel.starts_with(".local/share/") || rel.starts_with(".local/state/")) take = 3;
  std::size_t end = 0;
  for (std::size_t k = 0; k < take; ++k) {
    end = rel.find('/', k == 0 ? 0 : end + 1);
    if (end == std::string_view::npos) return std::string(rel);
  }
  return std::string(rel.substr(0, end));
}

}  // namespace

std::string pattern_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string toml_quote(std::string_view text) {
  bool literal = text.find('\'') == std::string_view::npos;
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) literal = false;
  if (literal) return fmt::format("'{}'", text);
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\')
      out += fmt::format("\\{}", static_cast<char>(c));
    else if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\u{:04X}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string suggest_rules(const std::map<std::string, PathFacts>& looked_up,
                          const std::map<std::string, PathFacts>& written,
                          const SuggestOptions& options,
                          const std::function<bool(const std::string&)>& exists) {
  const std::string& root = options.root;
  auto ignorable = [&](const std::string& p) {
    return p.size() < 2 || p[0] != '/' || p == root || under(p, root) || under(p, "/proc") ||
           under(p, "/sys") || under(p, "/dev");
  };

  // Reads: the bundle directory of each path found under ROOT (or failed with its directory
  // there), else a rule for the file alone when its directory is shared.
  std::map<std::string, Evidence> dirs, files;
  for (const auto& [path, facts] : looked_up) {
    if (ignorable(path)) continue;
    std::string dir = parent(path);
    bool found = exists(root + path);
    bool missing = facts.error == ENOENT || facts.error == ENOTDIR;
    if (!found && !(missing && dir != "/" && exists(root + dir))) continue;
    if (sensible(dir))
      dirs[dir].add(facts);
    else if (found)
      files[path].add(facts);
  }
  // The deepest directories that cover them: a directory inside another goes, siblings join
  // in their common ancestor when that is still specific to the app and in the bundle.
  auto join_one_pair = [&] {
    std::vector<std::string> keys;
    for (const auto& [dir, ev] : dirs) keys.push_back(dir);
    for (const std::string& a : keys) {
      for (const std::string& b : keys) {
        if (a == b) continue;
        std::string common = common_ancestor(a, b);
        if (common != a && !(sensible(common) && exists(root + common))) continue;
        Evidence joined = dirs[a];
        joined.merge(dirs[b]);
        dirs.erase(a);
        dirs.erase(b);
        auto [it, fresh] = dirs.try_emplace(common, joined);
        if (!fresh) it->second.merge(joined);
        return true;
      }
    }
    return false;
  };
  while (join_one_pair()) {
  }
  std::vector<Suggestion> out;
  std::set<std::string> names;
  const std::string bundle = fmt::format("@{{{}:-{}}}", options.var, replacement_literal(root));
  for (const auto& [dir, ev] : dirs) {
    out.push_back({rule_name("bundle", dir, names), "^" + pattern_literal(dir) + "(/.*)?$",
                   bundle + replacement_literal(dir) + "$1",
                   fmt::format("the bundle's {}", dir), depth(dir) + 1, ev});
  }
  for (const auto& [path, ev] : files) {
    // An init-capture: clang before 16 cannot capture a structured binding itself.
    if (std::ranges::any_of(dirs, [&p = path](const auto& d) { return under(p, d.first); }))
      continue;
    out.push_back({rule_name("bundle", path, names), "^" + pattern_literal(path) + "$",
                   bundle + replacement_literal(path), fmt::format("the bundle's {}", path),
                   depth(path) + 1, ev});
  }

  // Writes: the app's own directory under $HOME or /var/lib, into the per-user or per-install
  // data directory.
  std::map<std::string, Evidence> user, data;
  for (const auto& [path, facts] : written) {
    if (!options.home.empty() && under(path, options.home)) {
      user[home_key(std::string_view(path).substr(options.home.size() + 1))].add(facts);
    } else if (under(path, "/var/lib")) {
      std::string_view rel = std::string_view(path).substr(9);
      data[std::string(rel.substr(0, rel.find('/')))].add(facts);
    }
  }
  for (const auto& [key, ev] : user) {
    out.push_back({rule_name("user-data", key, names),
                   "^@{HOME}/" + pattern_literal(key) + "(/.*)?$",
                   fmt::format("@{{SNAP_USER_DATA:-{}/user-data}}/{}$1", replacement_literal(root),
                               replacement_literal(key)),
                   fmt::format("writes to ~/{}", key), depth(key) + 2, ev});
  }
  for (const auto& [key, ev] : data) {
    out.push_back({rule_name("data", key, names), "^/var/lib/" + pattern_literal(key) + "(/.*)?$",
                   fmt::format("@{{SNAP_DATA:-{}/data}}/{}$1", replacement_literal(root),
                               replacement_literal(key)),
                   fmt::format("writes to /var/lib/{}", key), depth(key) + 3, ev});
  }
  // Deepest first, so that when two rules could match, the more specific one decides.
  std::ranges::stable_sort(out, [](const Suggestion& a, const Suggestion& b) {
    return a.depth > b.depth;
  });

  std::string text = fmt::format(
      "# Rules suggested by `redirect trace --suggest {}` for:\n#   {}\n"
      "# Each rule maps what the program looked for into the bundle (@{{{}}}, defaulting to the\n"
      "# directory traced) or its writes into the data directories; the comment above it gives\n"
      "# the evidence. Check with `redirect lint --strict`, then run with `--log -`.\n"
      "version = 1\n",
      root, options.command, options.var);
  if (out.empty())
    text += fmt::format(
        "\n# No rule to suggest: nothing the program looked for exists under {}, and it wrote\n"
        "# nothing under $HOME or /var/lib.\n",
        root);
  for (const Suggestion& s : out) {
    text += fmt::format("\n# {}: {} call{} on {} path{}, e.g.\n#   {}\n", s.why, s.evidence.calls,
                        s.evidence.calls == 1 ? "" : "s", s.evidence.paths,
                        s.evidence.paths == 1 ? "" : "s", s.evidence.example);
    text += fmt::format("[[rule]]\nname = {}\nsyscalls = [\"%file\"]\nmatch = {}\nreplace = {}\n",
                        toml_quote(s.name), toml_quote(s.match), toml_quote(s.replace));
  }
  return text;
}

}  // namespace redirect::cli
