# Lazy syscall-site rewriting under --backend inproc: a call no rule names, from a site shaped
# `mov $NR,%eax; syscall` (libc's getppid) or from glibc's syscall(), traps once and is then
# rewritten to reach the kernel through a trampoline: 100,000 more getppid() add no trap at
# all, and the runtime says at exit that it rewrote sites. A call a rule names (openat), from
# libc's open() or from the same syscall() site, keeps trapping at every call and is
# rewritten by its rule each time. REDIRECT_INPROC_LAZY=0 turns the rewriting off: every call
# traps again (the switch is how the trap path stays tested).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$SRCDIR/tests/integration/lib/lazy_sites.bash"

write_bundled_file_rules r.toml

# count ON|OFF MODE N: traps of `lazy_sites MODE N` (MODE getppid or syscall-getppid).
count() {
  lazy_run "$1" --rules r.toml "$TRACEES/lazy_sites" "$2" "$3"
  expect_ok "lazy_sites $2 $3 (rewriting $1)"
  expect_eq "lazy_sites $2 $3 output" "$3 calls" "$OUT"
  traps
}

for mode in getppid syscall-getppid; do
  few=$(count ON $mode 1000)
  many=$(count ON $mode 101000)
  ((many - few < 10)) ||
    fail "$mode: 100,000 more calls made $((many - few)) more traps ($few, then $many): the" \
      "site should trap once and then be rewritten"
  lazy_run ON --rules r.toml "$TRACEES/lazy_sites" $mode 10
  (($(sites_rewritten) >= 1)) || fail "$mode: no site rewritten: $ERR"

  few=$(count OFF $mode 1000)
  many=$(count OFF $mode 101000)
  ((many - few >= 100000)) ||
    fail "$mode, REDIRECT_INPROC_LAZY=0: 100,000 more calls made only $((many - few)) more traps"
done

# opens MODE N: traps of N x open+read+close of the rewritten path (MODE open: through libc's
# wrappers; syscall-open: all three through syscall(), one site).
opens() {
  lazy_run ON --rules r.toml "$TRACEES/lazy_sites" "$1" /redirect-virtual/file "$2"
  expect_ok "lazy_sites $1 x $2"
  expect_eq "lazy_sites $1 x $2 output" "$2 opens: in the bundle" "$OUT"
  traps
}
for mode in open syscall-open; do
  few=$(opens $mode 10)
  many=$(opens $mode 1010)
  ((many - few >= 1000)) ||
    fail "$mode: 1,000 more opens of a rewritten path made only $((many - few)) more traps:" \
      "a call a rule names must trap at every call"
done
# Through syscall() the read and close share the openat's site, and do not trap once it is
# rewritten (libc's read, `xor %eax,%eax; syscall`, is not rewritten: it traps at every call).
((many - few < 1100)) ||
  fail "syscall-open: 1,000 more open+read+close made $((many - few)) more traps: read and" \
    "close should not trap once the syscall() site is rewritten"
echo ok
