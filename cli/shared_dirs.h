// Which host directories belong to many packages, for `trace --suggest`: a rule that maps one
// of them whole would take the host's own files away from the program and from everything it
// runs (the loader, nss, the interpreter's standard library). The list is the FHS's, the
// multiarch directories for any triplet (`/usr/lib/x86_64-linux-gnu` and `/lib/...`), and the
// directories that hold one sub-directory or file per package (`/usr/share/games`, Python's
// `dist-packages`, Perl's versioned @INC directories, `/etc/NAME.d`). It is a floor, not the
// whole test: suggest.cpp also refuses any directory whose host copy holds entries the bundle
// lacks. Pure string code.
#pragma once

#include <string_view>

namespace redirect::cli {

/// True when absolute, normalised `dir` is shared by the host's packages (see above). Every
/// top-level directory ("/x") is.
[[nodiscard]] bool shared_dir(std::string_view dir);

/// True when `dir` is a directory in which an interpreter finds packages by listing it
/// (Python's dist-packages and site-packages): the bundle's entries there are seen only when
/// the directory is mapped whole.
[[nodiscard]] bool listed_package_dir(std::string_view dir);

/// The leading /lib, /lib64, /bin or /sbin of absolute `path`, with its /usr when it has one
/// ("/usr/lib" for "/usr/lib/x", "/lib" for "/lib/x"): the part a merged-/usr host spells two
/// ways. "" when `path` is under none of them.
[[nodiscard]] std::string_view merged_usr_prefix(std::string_view path);

}  // namespace redirect::cli
