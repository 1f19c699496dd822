#!/usr/bin/env bash
# @{VAR}s where the variables do not exist (a packager's build machine has no $SNAP): lint
# checks an unset variable with a placeholder and says so in a note that does not fail
# --strict; -D NAME=VALUE gives a value; --require-env makes it an error, as it stays in a run.
# A set but empty variable is a warning in lint and in a run.
source "$(dirname "$0")/lib/common.bash"
unset REDIRECT_T_NOPE REDIRECT_T_EMPTY

cat >r.toml <<'TOML'
[[rule]]
syscalls = ["openat"]
match = '^/etc/app/(.*)$'
replace = '@{REDIRECT_T_NOPE}/etc/app/$1'

[[rule]]
syscalls = ["openat"]
match = '^@{REDIRECT_T_NOPE}/x$'
action = "deny"
TOML

rd lint --strict r.toml
expect_eq "placeholder status" 0 "$STATUS"
expect_eq "placeholder note" "r.toml:4:12: note: environment variable 'REDIRECT_T_NOPE' is not set: checked with '/UNSET/REDIRECT_T_NOPE' in its place (a run refuses it; give a value with -D REDIRECT_T_NOPE=VALUE)
replace = '@{REDIRECT_T_NOPE}/etc/app/\$1'
           ^" "$ERR"

rd lint --strict -D REDIRECT_T_NOPE=/snap/app/x1 r.toml
expect_eq "-D status" 0 "$STATUS"
expect_eq "-D quiet" "" "$ERR"

rd lint --require-env r.toml
expect_eq "--require-env status" 1 "$STATUS"
[[ $ERR == "r.toml:4:12: error: environment variable 'REDIRECT_T_NOPE' is not set and has no default"* ]] ||
  fail "--require-env message: $ERR"
[[ $ERR == *"r.toml:8:11: error: environment variable 'REDIRECT_T_NOPE' is not set"* ]] ||
  fail "--require-env second reference: $ERR"

rd --rules r.toml true
expect_eq "run refuses unset" 125 "$STATUS"
[[ $ERR == "r.toml:4:12: error: environment variable 'REDIRECT_T_NOPE' is not set and has no default"* ]] ||
  fail "run message: $ERR"

cat >empty.toml <<'TOML'
[[rule]]
syscalls = ["openat"]
match = '^/etc/app/(.*)$'
replace = '@{REDIRECT_T_EMPTY}/etc/app/$1'

[[rule]]
syscalls = ["stat"]
match = '^/etc/app/(.*)$'
replace = '@{REDIRECT_T_EMPTY}/etc/app/$1'
TOML
warning="empty.toml:4:12: warning: environment variable 'REDIRECT_T_EMPTY' is set but empty: '@{REDIRECT_T_EMPTY}' expands to nothing (write @{REDIRECT_T_EMPTY:-default} or set it)"
REDIRECT_T_EMPTY= rd lint --strict empty.toml
expect_eq "empty lint status" 1 "$STATUS"
expect_eq "empty lint" "$warning
replace = '@{REDIRECT_T_EMPTY}/etc/app/\$1'
           ^
0 error(s), 1 warning(s) in 1 file(s)" "$ERR"
REDIRECT_T_EMPTY= rd --rules empty.toml true
expect_eq "empty run status" 0 "$STATUS"
expect_eq "empty run warns once" "$warning
replace = '@{REDIRECT_T_EMPTY}/etc/app/\$1'
           ^" "$ERR"
echo "lint-env ok"
