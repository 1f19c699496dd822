# `redirect trace --backend auto` where ptrace is refused (tracees/no_ptrace, as a strict snap
# or a container profile refuses it): one line says it falls back, in run's words, and the trace
# runs in-process: the report is written and --suggest still suggests the bundle's rule.
# `--backend ptrace` there fails with 125.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

app=redirect-tia-$$-$RANDOM
[[ ! -e /etc/$app ]] || skip "/etc/$app exists on this host"
mkdir -p "bundle/etc/$app"
echo "in the bundle" >"bundle/etc/$app/conf"

run "$TRACEES/no_ptrace" "$REDIRECT" trace --suggest bundle -o p.toml -- cat "/etc/$app/conf"
expect_status "trace --backend ptrace where ptrace is refused" 125
[[ ! -e p.toml ]] || fail "a rule file was written without a trace"

run "$TRACEES/no_ptrace" "$REDIRECT" trace --backend auto --suggest bundle -o a.toml --report a.txt \
  -- cat "/etc/$app/conf"
expect_status "cat fails without rules" 1
expect_eq "the fallback notice, then cat's error and where the rules went" \
  "redirect: --backend auto: cannot trace a child here (ptrace refused); using --backend inproc
cat: /etc/$app/conf: No such file or directory
redirect trace: 1 suggested rule written to a.toml (check: redirect lint --strict a.toml)" "$ERR"
grep -q "^match = '^/etc/$app(/.\*)?\$'" a.toml || fail "no rule for /etc/$app: $(cat a.toml)"
grep -q "openat(\"/etc/$app/conf\", O_RDONLY) = -1 ENOENT" a.txt || fail "the report misses the open: $(cat a.txt)"

run "$TRACEES/no_ptrace" env -u SNAP "$REDIRECT" --backend auto --rules a.toml cat "/etc/$app/conf"
expect_ok "cat under the suggested rules, in-process"
expect_eq "read from the bundle" "in the bundle" "$OUT"
echo PASS
