# After a chdir that a prefix rule redirected, getcwd returns the directory the program asked
# for (the program's view), not the bundle's: `cd $app/sub && pwd -P` prints $app/sub, as it
# would with the bundle installed; a buffer too small for that name gives ERANGE, as natively.
# A file that says getcwd = "bundle" gets the bundle's path. readlink of /proc/self/cwd is the
# kernel's own name and stays the bundle's (documented). getcwd is trapped only when some file
# has a prefix rule that reads it back. sh, coreutils pwd, readlink, python3. Both modes, and
# under --backend inproc (make test-inproc).
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

app_rules r.toml
{ echo 'getcwd = "bundle"'; cat r.toml; } >bundle.toml
app=$WORK/host/app
mkdir -p host snap/sub
cat >small.py <<'PY'
import ctypes, os, sys
os.chdir(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
size = len(sys.argv[2]) + 1  # room for the bundle's name, not for the program's
buf = ctypes.create_string_buffer(size)
r = libc.getcwd(buf, size)
print(buf.value.decode() if r else os.strerror(ctypes.get_errno()))
PY

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml sh -c "cd '$app/sub' && pwd -P && /bin/pwd && readlink /proc/self/cwd"
  expect_ok "pwd, --mode $mode"
  expect_eq "getcwd in the program's view, --mode $mode" "$app/sub
$app/sub
$WORK/snap/sub" "$OUT"
  rd --mode $mode --rules r.toml python3 -c "import os; os.chdir('$app'); print(os.getcwd()); open('made', 'w')"
  expect_eq "python3 os.getcwd, --mode $mode" "$app" "$OUT"
  [[ -f snap/made ]] || fail "a relative name after getcwd did not land in the bundle, --mode $mode"
  rd --mode $mode --rules r.toml python3 small.py "$app/sub" "$WORK/snap/sub"
  expect_eq "a buffer too small for the program's view, --mode $mode" "$(python3 -c 'import os, errno; print(os.strerror(errno.ERANGE))')" "$OUT"
  rd --mode $mode --rules bundle.toml sh -c "cd '$app/sub' && pwd -P"
  expect_eq "getcwd = \"bundle\", --mode $mode" "$WORK/snap/sub" "$OUT"
done
if [[ -z ${REDIRECT_BACKEND:-} ]]; then  # -v lists the ptrace filter's traps
  rd -v --rules r.toml true
  [[ $ERR == *" getcwd("* ]] || fail "getcwd is not trapped for a prefix rule: $ERR"
  rd -v --rules bundle.toml true
  [[ $ERR != *" getcwd("* ]] || fail "getcwd is trapped although the file says getcwd = \"bundle\": $ERR"
fi
echo "view-getcwd: ok"
