# Lazy syscall-site rewriting leaves every page's protection as it was: a site in an RWX page
# (a JIT's) is rewritten and the page stays rwxp; a site in an R-X anonymous page is rewritten
# (made writable for the write only) and the page is r-xp again. Under a seccomp filter that
# refuses mprotect with PROT_WRITE (a W^X policy; installed by the program, which then execs
# itself: a process stops rewriting once it installs a filter), the site is not rewritten and
# keeps trapping, and every call still returns the right result. The program checks the results and
# prints the page's permissions and the site's first byte (b8 as built, e9 rewritten).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$SRCDIR/tests/integration/lib/lazy_sites.bash"

write_root_alias_rules r.toml

for kind in rwx rx; do
  lazy_run ON --rules r.toml "$TRACEES/lazy_sites" page "$kind" 1000
  expect_ok "lazy_sites page $kind"
  perms=rwxp && [[ $kind == rx ]] && perms=r-xp
  expect_eq "lazy_sites page $kind" "$kind page: $perms e9" "$OUT"
  few=$(traps)
  lazy_run ON --rules r.toml "$TRACEES/lazy_sites" page "$kind" 11000
  expect_ok "lazy_sites page $kind (11000)"
  many=$(traps)
  # A few traps of the start-up may come and go (malloc's, stdio's); 10,000 calls may not.
  ((many - few < 10)) || fail "$kind page: 10,000 more calls made $((many - few)) more traps"
done

lazy_run OFF --rules r.toml "$TRACEES/lazy_sites" page rx 1000
expect_ok "lazy_sites page rx, rewriting off"
expect_eq "lazy_sites page rx, rewriting off" "rx page: r-xp b8" "$OUT"

lazy_run ON --rules r.toml "$TRACEES/lazy_sites" wx-refused 1000
expect_ok "lazy_sites wx-refused"
expect_eq "lazy_sites wx-refused" "rx page: r-xp b8" "$OUT"
(($(traps) >= 1000)) || fail "mprotect refused: only $(traps) traps for 1,000 calls"
echo ok
