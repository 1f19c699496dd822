# A blocking read(2) made through a rewritten site (its trampoline's `syscall`), interrupted by
# SIGALRM: with SA_RESTART the kernel restarts it on the trampoline's own `syscall` (rip - 2,
# rax = the number) and it returns the data a child writes later; without SA_RESTART it ends
# with EINTR. The program's read site is `mov $0,%eax; syscall` of its own; it prints the site's
# first byte after the first call (e9: rewritten), which the rewriting off leaves b8.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$SRCDIR/tests/integration/lib/lazy_sites.bash"

write_root_alias_rules r.toml

lazy_run ON --rules r.toml "$TRACEES/lazy_sites" restart
expect_ok "lazy_sites restart"
expect_eq "lazy_sites restart" "restart ok: restarted, EINTR, site e9" "$OUT"
lazy_run OFF --rules r.toml "$TRACEES/lazy_sites" restart
expect_ok "lazy_sites restart, rewriting off"
expect_eq "lazy_sites restart, rewriting off" "restart ok: restarted, EINTR, site b8" "$OUT"
echo ok
