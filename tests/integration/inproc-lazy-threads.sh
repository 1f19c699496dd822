# Lazy syscall-site rewriting is made only while the address space has one thread: patching code
# another thread may be executing is cross-modifying code. 4 threads and the main thread each
# make 2,000 getppid() at once (all alive throughout): none of those sites may be rewritten,
# so all 10,000 calls trap. Then the main thread alone makes 2,000 (rewritten at the first),
# and 4 new threads 2,000 each through the rewritten site: without traps. Every result is
# checked by the program; with the rewriting off every one of the 20,000 calls traps.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$SRCDIR/tests/integration/lib/lazy_sites.bash"

write_root_alias_rules r.toml

lazy_run ON --rules r.toml "$TRACEES/lazy_sites" threads 4 2000
expect_ok "lazy_sites threads"
expect_eq "lazy_sites threads output" "threads ok" "$OUT"
on=$(traps)
lazy_run OFF --rules r.toml "$TRACEES/lazy_sites" threads 4 2000
expect_ok "lazy_sites threads, rewriting off"
off=$(traps)

((on >= 10000)) ||
  fail "only $on traps: the 10,000 getppid() made while 5 threads ran cannot all have trapped," \
    "so a site was rewritten while other threads existed"
((off - on >= 9000)) ||
  fail "$on traps with the rewriting on, $off off: the 10,000 calls made by one thread at a" \
    "time should have run through a rewritten site"
echo ok
