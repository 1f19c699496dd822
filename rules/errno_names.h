// errno names <-> values for `errno = "EACCES"` in deny rules, and for printing a decision.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace redirect::rules {

/// The value of errno name `name` ("EACCES" -> 13 on Linux); nullopt for a name Linux lacks.
/// Names are case-sensitive, as in C.
[[nodiscard]] std::optional<int> errno_value(std::string_view name);

/// The first name of `value` in the table (EAGAIN rather than EWOULDBLOCK); nullopt if none.
[[nodiscard]] std::optional<std::string_view> errno_name(int value);

/// Every accepted name, aliases included (for did-you-mean suggestions).
[[nodiscard]] std::span<const std::string_view> errno_names();

}  // namespace redirect::rules
