// @{NAME} expansion with a source position for every byte of the result, so that a PCRE2 error
// offset in an expanded pattern still becomes the right column of the rule file. The reference
// ends at the first '}': a default cannot contain '}' and references do not nest.
#include "rules/env_expand.h"

#include <cstdlib>

#include "rules/regex.h"

namespace redirect::rules {

namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

class Expander {
 public:
  explicit Expander(const LocatedText& in) : in_(in) {}

  // Where byte `i` of the input came from (its end included).
  SourcePos pos(std::size_t i) const { return in_.at(i); }

  void copy(std::size_t i) { append(std::string_view(&in_.value[i], 1), pos(i)); }
  void append(std::string_view bytes, SourcePos from) {
    out_.value += bytes;
    out_.positions.insert(out_.positions.end(), bytes.size(), from);
  }

  LocatedText finish() {
    out_.pos = in_.pos;
    out_.positions.push_back(pos(in_.value.size()));
    return std::move(out_);
  }

 private:
  const LocatedText& in_;
  LocatedText out_;
};

}  // namespace

// A value inserted into a PCRE2 replacement must come out as written: '$' is the only
// character the substitution interprets, and "$$" stands for one.
static std::string substitution_literal(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    out += c;
    if (c == '$') out += '$';
  }
  return out;
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

// An absolute path's trailing slashes, as in HOME=/root/: rules write "@{HOME}/x", which would
// otherwise ask for "/root//x", a string no resolved path contains (resolving collapses "//"),
// so the rule would never match. "/" itself stays.
std::string_view without_trailing_slashes(std::string_view value) {
  if (!value.starts_with('/')) return value;
  while (value.size() > 1 && value.ends_with('/')) value.remove_suffix(1);
  return value;
}

std::string placeholder_for(std::string_view name) { return "/UNSET/" + std::string(name); }

std::optional<LocatedText> expand_env(const LocatedText& text, ExpandMode mode,
                                      ExpandContext& context, std::string_view path,
                                      Diagnostics& diags) {
  const std::string& s = text.value;
  Expander out(text);
  bool ok = true;
  auto insert = [&](std::string_view value, SourcePos from) {
    value = without_trailing_slashes(value);
    out.append(mode == ExpandMode::quoted ? Regex::quote(value) : substitution_literal(value),
               from);
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "@{") != 0) {
      out.copy(i);
      continue;
    }
    const std::size_t at = i;
    const std::size_t close = s.find('}', at + 2);
    if (close == std::string::npos) {
      diags.error(path, out.pos(at), "'@{' without a closing '}'");
      return std::nullopt;  // the rest of the text is inside the unclosed reference
    }
    std::string_view inside = std::string_view(s).substr(at + 2, close - at - 2);
    std::size_t sep = inside.find(":-");
    std::string_view name = inside.substr(0, sep);
    i = close;
    if (!valid_name(name)) {
      diags.error(path, out.pos(at),
                  "invalid environment variable name '" + std::string(name) + "' in '@{" +
                      std::string(inside) + "}'");
      ok = false;
      continue;
    }
    std::optional<std::string> value = context.env(name);
    const std::string n(name);
    if (sep == std::string_view::npos) {
      if (!value && context.unset == UnsetVariables::placeholder) {
        if (context.said.insert(n).second)
          diags.note(path, out.pos(at),
                     "environment variable '" + n + "' is not set: checked with '" +
                         placeholder_for(n) + "' in its place (a run refuses it; give a value "
                         "with -D " + n + "=VALUE)");
        value = placeholder_for(n);
      }
      if (!value) {
        diags.error(path, out.pos(at),
                    "environment variable '" + n + "' is not set and has no default (write @{" +
                        n + ":-default})");
        ok = false;
        continue;
      }
      if (value->empty() && context.said.insert(n).second)
        diags.warning(path, out.pos(at),
                      "environment variable '" + n + "' is set but empty: '@{" + n +
                          "}' expands to nothing (write @{" + n + ":-default} or set it)");
      insert(*value, out.pos(at));
    } else if (value && !value->empty()) {
      insert(*value, out.pos(at));
    } else {
      // The default, byte by byte from where it is written (less the trailing slashes of a
      // path, as for a value).
      std::size_t first = at + 2 + sep + 2;
      std::size_t end =
          first + without_trailing_slashes(std::string_view(s).substr(first, close - first)).size();
      for (std::size_t j = first; j < end; ++j) insert(std::string_view(&s[j], 1), out.pos(j));
    }
  }
  if (!ok) return std::nullopt;
  return out.finish();
}

}  // namespace redirect::rules
