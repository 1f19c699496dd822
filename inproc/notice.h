// Notices of the in-process backend (what runs unredirected, and why) on redirect's stderr:
// the descriptor `redirect run` left open for it (Config::notice_fd). It is written only while
// it still names the file it named at the start (same device and inode), so a program that
// closed it, or put a file of its own on that number, never finds our text in its file; the
// notice is then lost, which docs/inproc.md says. Raw write(2), preformatted: handler-safe.
#pragma once

#include <initializer_list>
#include <string_view>

#include "inproc/runtime.h"

namespace redirect::inproc {

/// Writes "redirect: " + the pieces + "\n" in one write(2).
void notice(const Runtime& rt, std::initializer_list<std::string_view> pieces);

/// `n` in decimal, into `buf`.
[[nodiscard]] std::string_view decimal(long n, char (&buf)[24]);

}  // namespace redirect::inproc
