# A static program run through the launcher with the in-process runtime armed is redirected:
# fsops-static opens and renames paths that a rule moves into $WORK/real. The configuration
# comes from redirect itself (the REDIRECT_INPROC_CONFIG it gives a dynamic program, read back
# through env), so the test does not depend on its encoding. Skips (saying which) while redirect has no
# --backend inproc or the launcher was built without the runtime: the two land separately.
source "$(dirname "$0")/lib/common.bash"
[[ ${REDIRECT_SANITIZED:-0} == 0 ]] || skip "a sanitizer build has no in-process backend or launcher"
: "${BUILDDIR:?BUILDDIR must name the build directory}"
[[ $(uname -m) == x86_64 ]] || skip "the in-process backend and its launcher are x86_64 only"
LAUNCHER=$BUILDDIR/redirect-inproc-exec
[[ -x $LAUNCHER ]] || fail "no launcher at $LAUNCHER"
prog=$TRACEES/fsops-static
[[ -x $prog ]] || skip "no static tracee: the toolchain cannot link -static (libc6-dev's libc.a)"

mkdir real
echo "static read" >real/f
echo "to rename" >real/g
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/s/(.*)$'
replace = '$WORK/real/\$1'
TOML

rd --backend inproc --rules r.toml /usr/bin/env
[[ $STATUS == 0 ]] || skip "redirect has no working --backend inproc here: $ERR"
config=$(printf '%s\n' "$OUT" | sed -n 's/^REDIRECT_INPROC_CONFIG=//p')
[[ -n $config ]] || fail "redirect --backend inproc gave env no REDIRECT_INPROC_CONFIG: $OUT"

run env REDIRECT_INPROC_CONFIG="$config" "$LAUNCHER" "$prog" open /redirect-virtual/s/f
if [[ $ERR == *"built without the in-process runtime"* ]]; then
  skip "the launcher was built without the in-process runtime: $ERR"
fi
expect_ok "static fsops launched"
expect_eq "static program rewritten through the launcher" "open /redirect-virtual/s/f = static read" "$OUT"

run env REDIRECT_INPROC_CONFIG="$config" "$LAUNCHER" "$prog" \
  renameat /redirect-virtual/s/g /redirect-virtual/s/h open /redirect-virtual/s/h
expect_ok "static fsops launched, renameat"
expect_eq "two-path call rewritten through the launcher" "renameat /redirect-virtual/s/g /redirect-virtual/s/h = ok
open /redirect-virtual/s/h = to rename" "$OUT"
[[ -e real/h && ! -e real/g ]] || fail "the rename did not happen in real/"
echo PASS
