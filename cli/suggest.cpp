// suggest_rules (see suggest.h). Three passes: the bundle rules (a directory the bundle owns
// whole, else one file), the listed package directories, the data rules; then the text.
#include "cli/suggest.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <vector>

#include <fmt/format.h>

#include "cli/shared_dirs.h"

namespace redirect::cli {
namespace {

std::size_t depth(std::string_view dir) { return std::ranges::count(dir, '/'); }

bool under(std::string_view path, std::string_view dir) {
  return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

bool same_or_under(std::string_view path, std::string_view dir) {
  return path == dir || under(path, dir);
}

// What one suggested rule rests on.
struct Evidence {
  std::uint64_t calls = 0;
  std::size_t paths = 0;
  bool solid = false;  // more than stat/O_PATH probes of directories
  std::string example;
  bool example_failed = false;
  void add(const PathFacts& f, bool probe_only) {
    const bool failed = f.error != 0;
    if (calls == 0 || (failed && !example_failed)) {
      example = f.example;  // a failure is the better example
      example_failed = failed;
    }
    calls += f.calls;
    ++paths;
    solid = solid || !probe_only;
  }
};

// Host entries a rule takes away from the program.
struct Hidden {
  std::size_t count = 0;
  std::vector<std::string> names;  // the first few, relative to the rule's directory
  bool more = false;               // the walk stopped before the end: at least `count`
  void add(const std::string& name) {
    if (++count <= 6) names.push_back(name);
  }
};

struct Rule {
  std::string name;
  std::string match;    // pattern, as written in the file
  std::string replace;  // replacement, as written
  std::string covers;   // the comment's first line
  std::string hides;    // the comment's last line
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
      if (name == prefix) name += '-';
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

std::string hidden_text(const Hidden& h, std::string_view dir) {
  if (h.count == 0) return "hides: nothing of the host's";
  std::string list;
  for (const std::string& n : h.names) list += fmt::format("{}{}", list.empty() ? "" : ", ", n);
  std::size_t rest = h.count - h.names.size();
  return fmt::format("hides: the host's {} ({}{} entr{}): {}{}", dir, h.more ? "at least " : "",
                     h.count, h.count == 1 ? "y" : "ies", list,
                     rest ? fmt::format(" and {} more", rest) : "");
}

class Suggester {
 public:
  Suggester(const SuggestOptions& o, const FileSystemView& fs) : o_(o), fs_(fs) {
    names_ = o.taken_names;
    // A default of @{VAR:-...} comes out as written ('$' is no group reference there) and
    // ends at the first '}': a root with one is written as it is, '$' doubled.
    const std::string& r = o.root;
    literal_root_ = r.find('}') != std::string::npos;
    const std::string lit = replacement_literal(r);
    bundle_ = literal_root_ ? lit : fmt::format("@{{{}:-{}}}", o.var, r);
    data_root_ = literal_root_ ? lit + "/data" : fmt::format("@{{SNAP_DATA:-{}/data}}", r);
    user_ = literal_root_ ? lit + "/user-data"
                          : fmt::format("@{{SNAP_USER_DATA:-{}/user-data}}", r);
  }

  void bundle_rules(const std::map<std::string, PathFacts>& looked_up);
  void data_rules(const std::map<std::string, PathFacts>& written);
  Suggestion text() const;

 private:
  bool ignorable(const std::string& p) const {
    return p.size() < 2 || p[0] != '/' || same_or_under(p, o_.root) || under(p, "/proc") ||
           under(p, "/sys") || under(p, "/dev");
  }
  std::optional<std::string> in_bundle(const std::string& path) const;
  Hidden hidden_by(const std::string& dir) const;
  bool mappable(const std::string& dir) const;
  std::optional<std::string> unit_of(const std::string& path) const;
  void listed_dir(const std::string& dir, const PathFacts& facts);
  std::string pattern_of(const std::string& path) const;
  void add_data(const std::string& path, const PathFacts& facts);

  const SuggestOptions& o_;
  const FileSystemView& fs_;
  std::set<std::string> names_;
  bool literal_root_ = false;
  std::string bundle_, data_root_, user_;
  std::map<std::string, Evidence> units_, files_;  // by the bundle's spelling
  std::vector<Rule> out_;
  std::vector<std::string> notes_;   // what could not be a rule, and why
  std::vector<std::string> data_dirs_;
  std::map<std::pair<std::string, std::string>, std::pair<Evidence, bool>> data_;
  mutable std::map<std::string, bool> mappable_;  // hidden_by() lists directories: once each
};

// How the bundle spells `path`: as it is, or under the other merged-/usr spelling (the loader
// looks in /lib/TRIPLET, a .deb ships /usr/lib/TRIPLET).
std::optional<std::string> Suggester::in_bundle(const std::string& path) const {
  if (fs_.exists(o_.root + path)) return path;
  std::string_view top = merged_usr_prefix(path);
  if (top.empty()) return std::nullopt;
  std::string other = top.starts_with("/usr") ? path.substr(4) : "/usr" + path;
  if (fs_.exists(o_.root + other)) return other;
  return std::nullopt;
}

// The host entries under `dir` (both merged-/usr spellings) the bundle lacks. The walk is
// bounded: a big tree the bundle shares is not worth a thousand stats, and "at least" is
// enough to refuse it.
Hidden Suggester::hidden_by(const std::string& dir) const {
  Hidden h;
  std::size_t budget = 2000;
  std::vector<std::string> todo = {""};
  while (!todo.empty()) {
    std::string rel = todo.back();
    todo.pop_back();
    auto names = fs_.list(dir + rel);
    if (!names) continue;
    for (const std::string& n : *names) {
      if (budget-- == 0) {
        h.more = true;
        h.add("...");
        return h;
      }
      std::string sub = rel + "/" + n;
      if (!fs_.exists(o_.root + dir + sub))
        h.add(sub.substr(1));
      else if (fs_.is_dir(dir + sub) && fs_.is_dir(o_.root + dir + sub))
        todo.push_back(sub);
    }
  }
  return h;
}

// A directory the bundle may own whole: no package shares it, the bundle has it, the root is
// not inside it (a rule for an ancestor of ROOT would match its own results) and the host's
// copy, in either spelling, holds nothing the bundle lacks.
bool Suggester::mappable(const std::string& dir) const {
  if (auto known = mappable_.find(dir); known != mappable_.end()) return known->second;
  bool ok = !shared_dir(dir) && !same_or_under(o_.root, dir) && fs_.is_dir(o_.root + dir);
  std::string_view top = merged_usr_prefix(dir);
  std::vector<std::string> spellings = {dir};
  if (!top.empty()) spellings.push_back(top.starts_with("/usr") ? dir.substr(4) : "/usr" + dir);
  for (const std::string& host : spellings) {
    if (!ok) break;
    ok = !fs_.exists(host) || (fs_.is_dir(host) && hidden_by(host).count == 0);
  }
  mappable_[dir] = ok;
  return ok;
}

// The shallowest directory on the way to `path` (itself included) that the bundle may own.
std::optional<std::string> Suggester::unit_of(const std::string& path) const {
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (mappable(dir)) return dir;
    if (slash == std::string::npos) return std::nullopt;
  }
}

// `path` as a pattern: both merged-/usr spellings when it has two.
std::string Suggester::pattern_of(const std::string& path) const {
  std::string_view top = merged_usr_prefix(path);
  if (top.empty()) return "^" + pattern_literal(path);
  std::string_view plain = top.starts_with("/usr") ? top.substr(4) : top;
  return "^(?:/usr)?" + pattern_literal(plain) + pattern_literal(path.substr(top.size()));
}

void Suggester::bundle_rules(const std::map<std::string, PathFacts>& looked_up) {
  for (const auto& [path, facts] : looked_up) {
    if (ignorable(path)) continue;
    if (facts.succeeded) {
      // The host has it: never mapped, but a directory listed there may hide the bundle's.
      if (facts.used && fs_.is_dir(path) && fs_.is_dir(o_.root + path)) listed_dir(path, facts);
      continue;
    }
    if (facts.error != ENOENT && facts.error != ENOTDIR) continue;
    std::optional<std::string> bundled = in_bundle(path);
    const bool dir = bundled && fs_.is_dir(o_.root + *bundled);
    const bool probe_only = dir && !facts.used;
    if (std::optional<std::string> unit = unit_of(bundled.value_or(path)))
      units_[*unit].add(facts, probe_only);
    else if (bundled && !dir)
      files_[*bundled].add(facts, false);
  }
  for (const auto& [dir, ev] : units_) {
    if (!ev.solid) continue;
    out_.push_back({rule_name("bundle", dir, names_), pattern_of(dir) + "(/.*)?$",
                    bundle_ + replacement_literal(dir) + "$1",
                    fmt::format("the bundle's {}, a directory the host {}", dir,
                                fs_.exists(dir) ? "has with nothing the bundle lacks"
                                                : "does not have"),
                    hidden_text({}, dir), depth(dir) + 1, ev});
  }
  for (const auto& [path, ev] : files_) {
    bool two = !merged_usr_prefix(path).empty();
    out_.push_back({rule_name("bundle", path, names_), pattern_of(path) + "$",
                    bundle_ + replacement_literal(path),
                    fmt::format("the bundle's file {}{}", path,
                                two ? " (in its /usr and its / spelling)" : ""),
                    hidden_text({}, path), depth(path) + 1, ev});
  }
}

// The program listed `dir` on the host, and the bundle's copy holds entries the host's lacks:
// the program saw only the host's. No per-file rule changes a listing.
void Suggester::listed_dir(const std::string& dir, const PathFacts& facts) {
  auto bundle_names = fs_.list(o_.root + dir);
  if (!bundle_names) return;
  std::vector<std::string> extra;
  for (const std::string& n : *bundle_names)
    if (!fs_.exists(dir + "/" + n)) extra.push_back(n);
  if (extra.empty()) return;
  if (mappable(dir)) {  // the host's copy holds nothing the bundle lacks
    units_[dir].add(facts, false);
    return;
  }
  std::string listed;
  for (std::size_t i = 0; i < extra.size() && i < 6; ++i)
    listed += fmt::format("{}{}", i ? ", " : "", extra[i]);
  if (extra.size() > 6) listed += fmt::format(" and {} more", extra.size() - 6);
  if (!listed_package_dir(dir) || same_or_under(o_.root, dir)) {
    notes_.push_back(fmt::format(
        "the program listed {} on the host, which lacks the bundle's {} there.\n"
        "# No rule: only a rule for the whole directory changes a listing, and it would hide\n"
        "# {}.",
        dir, listed, hidden_text(hidden_by(dir), dir).substr(7)));
    return;
  }
  Evidence ev;
  ev.add(facts, false);
  out_.push_back({rule_name("bundle", dir, names_), pattern_of(dir) + "(/.*)?$",
                  bundle_ + replacement_literal(dir) + "$1",
                  fmt::format("the bundle's {} as a whole: the program finds packages there by\n"
                              "# listing it, and only this shows it the bundle's {}",
                              dir, listed),
                  hidden_text(hidden_by(dir), dir) +
                      "\n#   (the bundle must hold every package the program uses from there)",
                  depth(dir) + 1, ev});
}

// Writes to the per-user and per-install data directories, by the part of the path that names
// the app: ~/.config/NAME, /var/lib/NAME, /var/log/NAME, /var/cache/NAME, /run/NAME.
void Suggester::add_data(const std::string& path, const PathFacts& facts) {
  struct Place {
    std::string_view prefix, pattern, sub;
  };
  constexpr Place places[] = {{"/var/lib", "/var/lib", ""},
                              {"/var/log", "/var/log", "log/"},
                              {"/var/cache", "/var/cache", "cache/"},
                              {"/var/run", "(?:/var)?/run", "run/"},
                              {"/run", "(?:/var)?/run", "run/"}};
  if (!o_.home.empty() && under(path, o_.home)) {
    std::string key = home_key(std::string_view(path).substr(o_.home.size() + 1));
    if (key == ".config" || key == ".cache" || key == ".local") return;  // the shared parent
    auto& [ev, dir] = data_[{"", key}];
    ev.add(facts, false);
    dir = dir || path.size() > o_.home.size() + 1 + key.size();
    return;
  }
  for (const Place& p : places) {
    if (!under(path, p.prefix)) continue;
    std::string_view rel = std::string_view(path).substr(p.prefix.size() + 1);
    std::string key(rel.substr(0, rel.find('/')));
    auto& [ev, dir] = data_[{std::string(p.pattern) + "|" + std::string(p.sub), key}];
    ev.add(facts, false);
    dir = dir || rel.size() > key.size();
    return;
  }
}

void Suggester::data_rules(const std::map<std::string, PathFacts>& written) {
  for (const auto& [path, facts] : written)
    if (!ignorable(path)) add_data(path, facts);
  for (const auto& [place, value] : data_) {
    const auto& [ev, dir] = value;
    const auto& [where, key] = place;
    if (where.empty()) {
      std::string target = fmt::format("{}/user-data/{}", o_.root, key);
      data_dirs_.push_back(dir ? target : target.substr(0, target.rfind('/')));
      std::string host = o_.home + "/" + key;
      Hidden h;
      if (fs_.exists(host)) h.add(fmt::format("~/{}{}", key, dir ? " and all in it" : ""));
      out_.push_back({rule_name("user-data", key, names_),
                      "^@{HOME}/" + pattern_literal(key) + "(/.*)?$",
                      fmt::format("{}/{}$1", user_, replacement_literal(key)),
                      fmt::format("writes to ~/{}", key), hidden_text(h, "~/" + key),
                      depth(key) + 2, ev});
      continue;
    }
    std::string pattern = where.substr(0, where.find('|'));
    std::string sub = where.substr(where.find('|') + 1);
    std::string host = (sub == "run/" ? "/run/" : pattern + "/") + key;
    std::string target = fmt::format("{}/data/{}{}", o_.root, sub, key);
    data_dirs_.push_back(dir ? target : target.substr(0, target.rfind('/')));
    Hidden h;
    if (fs_.exists(host)) h.add(host + (dir ? " and all in it" : ""));
    out_.push_back({rule_name("data", sub + key, names_),
                    "^" + pattern + "/" + pattern_literal(key) + "(/.*)?$",
                    fmt::format("{}/{}{}$1", data_root_, sub, replacement_literal(key)),
                    fmt::format("writes to {}", host), hidden_text(h, host),
                    depth(pattern) + 2, ev});
  }
}

Suggestion Suggester::text() const {
  std::vector<Rule> rules = out_;
  // Deepest first, so that when two rules could match, the more specific one decides.
  std::ranges::stable_sort(rules, [](const Rule& a, const Rule& b) { return a.depth > b.depth; });
  Suggestion s;
  s.header = fmt::format(
      "# Rules suggested by `redirect trace --suggest {}` for:\n#   {}\n"
      "# Each rule maps what the program failed to find on the host into the bundle\n"
      "# ({}), or its writes into the data directories; the comment above it says what it\n"
      "# covers, its evidence and what of the host's it hides. Check: redirect lint --strict.\n",
      o_.root, o_.command,
      literal_root_ ? "written as it is: a root with '}' cannot be a default of @{VAR}"
                    : fmt::format("@{{{}}}, defaulting to the directory traced", o_.var));
  if (rules.empty())
    s.rules = fmt::format(
        "\n# No rule to suggest: nothing the program failed to find exists under\n#   {}\n"
        "# and it wrote nothing under $HOME, /var/lib, /var/log, /var/cache or /run.\n",
        o_.root);
  for (const std::string& n : notes_) s.rules += fmt::format("\n# Note: {}\n", n);
  for (const Rule& r : rules) {
    s.rules += fmt::format("\n# covers: {}\n# {} call{} on {} path{}, e.g.\n#   {}\n# {}\n",
                           r.covers, r.evidence.calls, r.evidence.calls == 1 ? "" : "s",
                           r.evidence.paths, r.evidence.paths == 1 ? "" : "s", r.evidence.example,
                           r.hides);
    s.rules += fmt::format("[[rule]]\nname = {}\nsyscalls = [\"%file\"]\nmatch = {}\nreplace = {}\n",
                           toml_quote(r.name), toml_quote(r.match), toml_quote(r.replace));
  }
  s.count = rules.size();
  s.data_dirs = data_dirs_;
  return s;
}

}  // namespace

std::optional<std::string> unusable_root(std::string_view root) {
  if (root.find("@{") == std::string_view::npos) return std::nullopt;
  return fmt::format("{}: a rule's replacement cannot produce \"@{{\"; move the bundle", root);
}

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

Suggestion suggest_rules(const std::map<std::string, PathFacts>& looked_up,
                         const std::map<std::string, PathFacts>& written,
                         const SuggestOptions& options, const FileSystemView& fs) {
  Suggester s(options, fs);
  s.bundle_rules(looked_up);
  s.data_rules(written);
  return s.text();
}

}  // namespace redirect::cli
