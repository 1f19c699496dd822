#!/usr/bin/env bash
# `redirect explain` says what a run would do with one string, using the same load and compile:
# rewrite (with the result), allow, deny (with errno), no rule; and clear errors for a class, a
# syscall this arch lacks, a misspelt name, and bad rules (125); an unnamed rule is "rule N".
source "$(dirname "$0")/lib/common.bash"

cat >r.toml <<'TOML'
[[rule]]
name = "keep"
syscalls = ["%file"]
match = '^/etc/app/keep$'
action = "allow"

[[rule]]
name = "secret"
syscalls = ["openat"]
match = '^/etc/app/secret'
action = "deny"
errno = "ENOENT"

[[rule]]
name = "etc"
syscalls = ["%file"]
match = '^/etc/app/(.*)$'
replace = '/snap/app/etc/$1'
TOML

rd explain --rules r.toml openat /etc/app/a.conf
expect_eq status 0 "$STATUS"
expect_eq rewrite 'openat arg 1 "/etc/app/a.conf": rewrite by rule '"'etc'"' (r.toml:14) -> "/snap/app/etc/a.conf"' "$OUT"

rd explain --rules r.toml openat /etc/app/keep
expect_eq allow 'openat arg 1 "/etc/app/keep": allow by rule '"'keep'"' (r.toml:1): left as it is' "$OUT"

rd explain --rules r.toml openat /etc/app/secret
expect_eq deny 'openat arg 1 "/etc/app/secret": deny by rule '"'secret'"' (r.toml:7): the call fails with ENOENT (No such file or directory)' "$OUT"

rd explain --rules r.toml openat /usr/lib/x
expect_eq none 'openat arg 1 "/usr/lib/x": no rule matches: left as it is' "$OUT"

# Both of renameat's paths are consulted; --arg picks one. (renameat: aarch64 has no rename.)
rd explain --rules r.toml renameat /etc/app/x
expect_eq renameat 'renameat arg 1 "/etc/app/x": rewrite by rule '"'etc'"' (r.toml:14) -> "/snap/app/etc/x"
renameat arg 3 "/etc/app/x": rewrite by rule '"'etc'"' (r.toml:14) -> "/snap/app/etc/x"' "$OUT"
rd explain --rules r.toml --arg 3 renameat /etc/app/x
expect_eq "renameat --arg 3" 'renameat arg 3 "/etc/app/x": rewrite by rule '"'etc'"' (r.toml:14) -> "/snap/app/etc/x"' "$OUT"

rd explain --rules r.toml getpid x
expect_eq "no rule names it" 'getpid: no rule applies to this syscall' "$OUT"

rd explain --rules r.toml %file /etc/app/x
expect_eq "class status" 125 "$STATUS"
expect_eq "class message" "redirect explain: '%file' is a class; explain takes one syscall of it, e.g. openat" "$ERR"

case $(uname -m) in
  x86_64)
    rd explain --rules r.toml stat64 /etc/app/x
    expect_eq "other arch" "redirect explain: 'stat64' does not exist on x86_64" "$ERR"
    ;;
  aarch64)
    rd explain --rules r.toml rename /etc/app/x
    expect_eq "legacy syscall status" 125 "$STATUS"
    expect_eq "legacy syscall" "redirect explain: 'rename' does not exist on aarch64" "$ERR"
    ;;
esac

rd explain --rules r.toml opnat /etc/app/x
expect_eq "typo" "redirect explain: 'opnat' is not a syscall (did you mean 'openat'?)" "$ERR"

printf '[[rule]]\nsyscalls = ["openat"]\nmtach = "x"\n' >bad.toml
rd explain --rules bad.toml openat /x
expect_eq "bad rules status" 125 "$STATUS"
[[ $ERR == *"bad.toml:3:1: error: unknown key 'mtach'"* ]] || fail "bad rules message: $ERR"
# A rule without a name is called by its position: "rule 2", as lint and --log call it.
printf '[[rule]]\nsyscalls = ["openat"]\nmatch = "^/a$"\naction = "allow"\n\n[[rule]]\nsyscalls = ["openat"]\nmatch = "^/b$"\nreplace = "/c"\n' >unnamed.toml
rd explain --rules unnamed.toml openat /b
expect_eq "unnamed rule" 'openat arg 1 "/b": rewrite by rule 2 (unnamed.toml:6) -> "/c"' "$OUT"

# Options may come after the positionals; --rules takes one FILE each time.
rd explain --rules r.toml openat /etc/app/a.conf --arg 1
expect_eq "option last" 'openat arg 1 "/etc/app/a.conf": rewrite by rule '"'etc'"' (r.toml:14) -> "/snap/app/etc/a.conf"' "$OUT"
# --arg is checked against the syscall's string arguments.
rd explain --rules r.toml openat /etc/app/a.conf --arg 9
expect_eq "--arg 9 status" 125 "$STATUS"
expect_eq "--arg 9" "redirect explain: --arg 9: not a string argument of openat (its string arguments: 1)" "$ERR"
rd explain --rules r.toml --arg 0 openat /etc/app/a.conf
expect_eq "--arg 0" "redirect explain: --arg 0: not a string argument of openat (its string arguments: 1)" "$ERR"
# Strings are escaped as --log escapes them: a control byte never reaches the terminal.
rd explain --rules r.toml openat $'/etc/app/\e[31mred\n'
expect_eq "escaped" 'openat arg 1 "/etc/app/\x1b[31mred\n": rewrite by rule '"'etc'"' (r.toml:14) -> "/snap/app/etc/\x1b[31mred\n"' "$OUT"
echo "explain ok"
