// The one vocabulary of what a rule does and what a decision says, in one place: the words a
// rule file spells (`action = "deny"`), the words --log, trace and explain print, and the enum
// the matcher and the engine switch over. The surprise: a decision can say more than a rule
// file can ask for. A rewrite whose result cannot be handed to the kernel (longer than
// PATH_MAX, a NUL inside, a socket path longer than sun_path) is its own verdict, `unwritable`,
// with the errno the call then fails with, so no caller has to look for "a rewrite with an
// error". A new action is a new row here, its verdict in matcher.cpp, what the engine does with
// it (engine/entry_patch.cpp) and its sentence in cli/explain.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace redirect::rules {

enum class Action : std::uint8_t {
  rewrite,     ///< a rule's `action = "rewrite"` (the default): the argument gets a new string
  deny,        ///< `action = "deny"`: the call fails with the rule's errno without running
  allow,       ///< `action = "allow"`: left as it is, and later rules are not consulted
  none,        ///< no rule matched: left as it is
  unwritable,  ///< a rewrite matched but its result cannot be passed: the call fails
};

/// How `a` is spelled in rule files and in everything redirect prints.
[[nodiscard]] constexpr std::string_view action_word(Action a) {
  constexpr std::array<std::string_view, 5> words = {"rewrite", "deny", "allow", "none",
                                                     "unwritable"};
  return words[static_cast<std::size_t>(a)];
}

/// The actions a rule file may name, in the order messages list them.
inline constexpr std::array<Action, 3> rule_actions = {Action::rewrite, Action::deny,
                                                       Action::allow};

/// The action a rule file's word names; nullopt for any other word (none and unwritable are
/// verdicts, not something a rule can ask for).
[[nodiscard]] constexpr std::optional<Action> rule_action(std::string_view word) {
  for (Action a : rule_actions)
    if (action_word(a) == word) return a;
  return std::nullopt;
}

/// The call does not run: it fails with the decision's errno.
[[nodiscard]] constexpr bool fails_call(Action a) {
  return a == Action::deny || a == Action::unwritable;
}

}  // namespace redirect::rules
