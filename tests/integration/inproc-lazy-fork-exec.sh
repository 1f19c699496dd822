# Lazy syscall-site rewriting across fork and exec: a forked child inherits the rewritten sites
# (libc's getppid starts with the jmp in the child), and a program it execs starts from its file's bytes (its
# own 20,000 trap once per site, not per call: the rewriting starts again in it). Each process
# writes its own trap count at exit; the exec'd one finishes first, then the parent.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$SRCDIR/tests/integration/lib/lazy_sites.bash"

write_root_alias_rules r.toml

# getppid's first byte as libc has it, seen by a child with the rewriting off: glibc's getppid
# starts with its `mov $110,%eax` (b8); another libc may not, and the inheritance check is moot.
lazy_run OFF --rules r.toml "$TRACEES/lazy_sites" fork-exec 10
expect_ok "lazy_sites fork-exec, rewriting off"
built=$(head -n1 <<<"$OUT")

lazy_run ON --rules r.toml "$TRACEES/lazy_sites" fork-exec 20000
expect_ok "lazy_sites fork-exec"
if [[ $built == "child: getppid starts with b8" ]]; then
  expect_eq "lazy_sites fork-exec output" \
    $'child: getppid starts with e9\n20000 calls\nfork-exec ok' "$OUT"
else
  echo "note: libc's getppid does not start with its mov ($built): inheritance not checked" >&2
  expect_eq "lazy_sites fork-exec output" $'20000 calls\nfork-exec ok' "$(tail -n2 <<<"$OUT")"
fi
notices=$(grep -c 'dispatch traps' <<<"$ERR")
expect_eq "trap notices (exec'd program, parent)" 2 "$notices"
execd=$(traps 1) parent=$(traps 2)
((execd < 5000)) || fail "the exec'd program trapped $execd times for 20,000 getppid()"
((execd >= 1)) || fail "the exec'd program never trapped: it cannot have started clean"
(($(grep 'dispatch traps' <<<"$ERR" | head -n1 | sed -E 's/.* ([0-9]+) syscall sites rewritten.*/\1/') >= 1)) ||
  fail "the exec'd program rewrote no site: $ERR"
((parent < 5000)) || fail "the parent and its forked child trapped $parent times"
echo ok
