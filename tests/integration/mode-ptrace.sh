# --mode ptrace (stop at every syscall, no seccomp filter) gives the same results as the default
# seccomp mode: the seed scenario, a two-path renameat (rename: not on aarch64), a deny and an
# exec.
source "$(dirname "$0")/lib/common.bash"

seed_files
seed_rules seed.toml
for mode in ptrace seccomp; do
  rd --mode $mode --rules seed.toml cat TWO.txt
  expect_ok "cat under redirect --mode $mode"
  expect_eq "seed scenario, --mode $mode" "This is ONE.txt" "$OUT"
  expect_eq "stderr, --mode $mode" "" "$ERR"
done

mkdir real
cat >r.toml <<TOML
[[rule]]
name = "deny"
syscalls = ["%file"]
match = 'secret'
action = "deny"
errno = "EPERM"

[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/m/(.*)$'
replace = '$WORK/real/\$1'
TOML
ops=(create /redirect-virtual/m/a "text a" renameat /redirect-virtual/m/a /redirect-virtual/m/b
  open /redirect-virtual/m/b open /redirect-virtual/m/secret stat /redirect-virtual/m/b
  exec /redirect-virtual/m/fsops open /redirect-virtual/m/b)
expected="create /redirect-virtual/m/a text a = ok
renameat /redirect-virtual/m/a /redirect-virtual/m/b = ok
open /redirect-virtual/m/b = text a
open /redirect-virtual/m/secret = EPERM
stat /redirect-virtual/m/b = size 6
open /redirect-virtual/m/b = text a"
for mode in ptrace seccomp; do
  rm -f real/*
  cp "$TRACEES/fsops" real/
  rd --mode $mode --rules r.toml "$TRACEES/fsops" "${ops[@]}"
  expect_ok "fsops under redirect --mode $mode"
  expect_eq "fsops, --mode $mode" "$expected" "$OUT"
done
echo PASS
