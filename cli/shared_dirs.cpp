// shared_dir and friends (see shared_dirs.h).
#include "cli/shared_dirs.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <cctype>

namespace redirect::cli {
namespace {

// FHS directories below the top level that many packages install into (Debian policy 9.1 and
// the FHS 3.0 sections on /usr, /usr/share, /var), plus Debian's per-language ones.
constexpr std::string_view fhs_dirs[] = {
    "/usr/bin",          "/usr/sbin",          "/usr/lib",           "/usr/lib32",
    "/usr/lib64",        "/usr/libx32",        "/usr/libexec",       "/usr/include",
    "/usr/games",        "/usr/src",           "/usr/share",         "/usr/local",
    "/usr/lib/locale",   "/usr/lib/games",     "/usr/lib/python3",   "/usr/lib/systemd",
    "/usr/lib/sysctl.d", "/usr/lib/tmpfiles.d", "/usr/lib/mime",     "/usr/lib/jvm",
    "/usr/lib/cgi-bin",  "/usr/lib/debug",     "/usr/lib/udev",      "/usr/lib/modules",
    "/usr/lib/os-release", "/usr/lib/sysusers.d", "/usr/share/games", "/usr/share/doc",
    "/usr/share/man",    "/usr/share/info",    "/usr/share/locale",  "/usr/share/i18n",
    "/usr/share/zoneinfo", "/usr/share/terminfo", "/usr/share/fonts", "/usr/share/icons",
    "/usr/share/pixmaps", "/usr/share/applications", "/usr/share/mime", "/usr/share/perl5",
    "/usr/share/perl",   "/usr/share/java",    "/usr/share/pkgconfig", "/usr/share/common-licenses",
    "/usr/share/X11",    "/usr/share/dict",    "/usr/share/misc",    "/usr/share/lintian",
    "/usr/share/bug",    "/usr/share/menu",    "/usr/share/python3", "/usr/share/bash-completion",
    "/usr/share/zsh",    "/usr/share/fish",    "/usr/share/dbus-1",  "/usr/share/polkit-1",
    "/var/lib",          "/var/cache",         "/var/log",           "/var/tmp"};

// Components that name a per-package collection wherever they are.
constexpr std::string_view collection_names[] = {
    "dist-packages", "site-packages", "perl5", "perl", "perl-base", "site_perl", "vendor_perl",
    "lib-dynload", "gconv"};

std::string_view last_component(std::string_view p) { return p.substr(p.rfind('/') + 1); }

std::size_t depth(std::string_view p) { return std::ranges::count(p, '/'); }

// "x86_64-linux-gnu", "aarch64-linux-gnu", "arm-linux-gnueabihf", "i386-linux-gnu".
bool multiarch_triplet(std::string_view name) { return name.find("-linux-") != name.npos; }

// "python3", "python3.11", "5.36", "5.36.0": an interpreter's versioned directory.
bool version_dir(std::string_view name) {
  if (name.starts_with("python")) name.remove_prefix(6);
  if (name.empty()) return true;
  return std::ranges::all_of(name, [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

}  // namespace

std::string_view merged_usr_prefix(std::string_view path) {
  constexpr std::string_view tops[] = {"/lib64", "/lib", "/bin", "/sbin"};
  for (std::string_view top : tops) {
    if (path.starts_with(top) && (path.size() == top.size() || path[top.size()] == '/'))
      return top;
    if (path.starts_with("/usr") && path.substr(4).starts_with(top) &&
        (path.size() == top.size() + 4 || path[top.size() + 4] == '/'))
      return path.substr(0, top.size() + 4);
  }
  return {};
}

bool shared_dir(std::string_view dir) {
  if (depth(dir) <= 1) return true;
  if (std::ranges::find(fhs_dirs, dir) != std::end(fhs_dirs)) return true;
  // The /lib forms of the /usr ones: /lib, /lib/TRIPLET, /lib/modules...
  std::string_view top = merged_usr_prefix(dir);
  if (!top.empty() && !top.starts_with("/usr")) {
    std::string usr = "/usr" + std::string(dir);
    if (std::ranges::find(fhs_dirs, std::string_view(usr)) != std::end(fhs_dirs)) return true;
  }
  std::string_view name = last_component(dir);
  std::string_view parent = dir.substr(0, dir.rfind('/'));
  std::string_view parent_name = last_component(parent);
  if (multiarch_triplet(name)) return true;                   // /usr/lib/TRIPLET
  if (std::ranges::find(collection_names, name) != std::end(collection_names)) return true;
  if (version_dir(name) && (name.starts_with("python") ||
                            std::ranges::find(collection_names, parent_name) !=
                                std::end(collection_names)))
    return true;                                              // python3.11, perl5/5.36
  if (dir.starts_with("/etc/") && name.ends_with(".d")) return true;  // /etc/profile.d
  if (parent == "/usr/local" || parent == "/usr/local/lib" || parent == "/usr/local/share")
    return true;
  return false;
}

bool listed_package_dir(std::string_view dir) {
  std::string_view name = last_component(dir);
  return name == "dist-packages" || name == "site-packages";
}

}  // namespace redirect::cli
