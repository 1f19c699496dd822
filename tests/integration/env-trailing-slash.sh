# An @{VAR} that holds an absolute path with a trailing slash (HOME=/root/, as some login
# setups and containers leave it) means the same as without: '^@{HOME}/x' must not become
# '^/root//x', which no resolved path contains, so the rule would never match.
source "$(dirname "$0")/lib/common.bash"

mkdir -p home/.app snap
echo "from the snap" >snap/app.conf
cat >r.toml <<'TOML'
[[rule]]
name = "home-app"
syscalls = ["%file"]
match = '^@{HOME}/\.app/(.*)$'
replace = '@{SNAP}/$1'
TOML

for home in "$WORK/home" "$WORK/home/" "$WORK/home//"; do
  HOME=$home SNAP=$WORK/snap/ rd explain --rules r.toml openat "$WORK/home/.app/app.conf"
  expect_ok "explain, HOME=$home"
  expect_eq "explain, HOME=$home" "openat arg 1 \"$WORK/home/.app/app.conf\": rewrite by rule 'home-app' (r.toml:1) -> \"$WORK/snap/app.conf\"" "$OUT"
  HOME=$home SNAP=$WORK/snap/ rd --rules r.toml cat "$WORK/home/.app/app.conf"
  expect_ok "a run, HOME=$home"
  expect_eq "a run, HOME=$home" "from the snap" "$OUT"
done
echo PASS
