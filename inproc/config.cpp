// encode_config / decode_config (see arm.h). The text is fields separated by ';', each
// "key=value" with the value percent-encoded (every byte but [A-Za-z0-9/._+,:@-]), so a path or
// an environment value may hold any byte but NUL and still be one environment string:
//   v1;rules=PATH;...;env=NAME=VALUE;...;unset=NAME;...;lib=PATH;[launcher=PATH;]notice=FD,DEV,INO
//   [;record=FD,DEV,INO][;dry-run=1][;trace=1][;host-write-root=PATH]
#include "inproc/arm.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace redirect::inproc {
namespace {

bool plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("/._+,:@-").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string encoded(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (plain(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    unsigned v = 0;
    if (i + 2 >= s.size()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (ec != std::errc() || p != s.data() + i + 3) return std::nullopt;
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

template <class T>
bool number(std::string_view s, T& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

// "FD,DEV,INO" (a descriptor and the file it named).
bool descriptor(std::string_view value, int& fd, unsigned long long& dev,
                unsigned long long& ino) {
  const std::size_t a = value.find(','), b = value.find(',', a + 1);
  return a != value.npos && b != value.npos && number(value.substr(0, a), fd) &&
         number(value.substr(a + 1, b - a - 1), dev) && number(value.substr(b + 1), ino);
}

}  // namespace

std::string encode_config(const Config& c) {
  std::string out = "v1";
  for (const std::string& f : c.rule_files) out += ";rules=" + encoded(f);
  for (const auto& [name, value] : c.env)
    out += value ? ";env=" + encoded(name) + "=" + encoded(*value) : ";unset=" + encoded(name);
  out += ";lib=" + encoded(c.library);
  if (!c.launcher.empty()) out += ";launcher=" + encoded(c.launcher);
  out += ";notice=" + std::to_string(c.notice_fd) + "," + std::to_string(c.notice_dev) + "," +
         std::to_string(c.notice_ino);
  if (c.record_fd >= 0)
    out += ";record=" + std::to_string(c.record_fd) + "," + std::to_string(c.record_dev) + "," +
           std::to_string(c.record_ino);
  if (c.dry_run) out += ";dry-run=1";
  if (c.trace) out += ";trace=1";
  if (!c.host_write_root.empty()) out += ";host-write-root=" + encoded(c.host_write_root);
  return out;
}

std::optional<Config> decode_config(std::string_view text, std::string& error) {
  Config c;
  if (!text.starts_with("v1")) {
    error = "not a configuration of this version of redirect";
    return std::nullopt;
  }
  std::size_t pos = 2;
  while (pos < text.size()) {
    if (text[pos] != ';') break;
    const std::size_t end = std::min(text.find(';', pos + 1), text.size());
    const std::string_view field = text.substr(pos + 1, end - pos - 1);
    pos = end;
    const std::size_t eq = field.find('=');
    const std::string_view key = field.substr(0, eq), value = eq == field.npos ? "" : field.substr(eq + 1);
    bool ok = eq != field.npos;
    if (ok && key == "rules") {
      auto v = decoded(value);
      ok = v.has_value();
      if (ok) c.rule_files.push_back(*v);
    } else if (ok && key == "env") {
      const std::size_t e = value.find('=');
      auto n = decoded(value.substr(0, e));
      auto v = e == value.npos ? std::nullopt : decoded(value.substr(e + 1));
      ok = n && v;
      if (ok) c.env.emplace_back(*n, *v);
    } else if (ok && key == "unset") {
      auto n = decoded(value);
      ok = n.has_value();
      if (ok) c.env.emplace_back(*n, std::nullopt);
    } else if (ok && key == "lib") {
      auto v = decoded(value);
      ok = v.has_value();
      if (ok) c.library = *v;
    } else if (ok && key == "launcher") {
      auto v = decoded(value);
      ok = v.has_value();
      if (ok) c.launcher = *v;
    } else if (ok && key == "notice") {
      ok = descriptor(value, c.notice_fd, c.notice_dev, c.notice_ino);
    } else if (ok && key == "record") {
      ok = descriptor(value, c.record_fd, c.record_dev, c.record_ino);
    } else if (ok && key == "dry-run") {
      ok = value == "1";
      c.dry_run = ok;
    } else if (ok && key == "trace") {
      ok = value == "1";
      c.trace = ok;
    } else if (ok && key == "host-write-root") {
      auto v = decoded(value);
      ok = v.has_value() && !v->empty();
      if (ok) c.host_write_root = *v;
    } else {
      ok = false;
    }
    if (!ok) {
      error = "bad field '" + std::string(field.substr(0, 40)) + "'";
      return std::nullopt;
    }
  }
  // A trace may run without rules; a run always has some.
  if (pos != text.size() || (c.rule_files.empty() && !c.trace) || c.library.empty()) {
    error = "incomplete configuration (no rule files or no library)";
    return std::nullopt;
  }
  return c;
}

}  // namespace redirect::inproc
