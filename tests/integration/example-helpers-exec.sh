# examples/helpers-exec.toml end to end: example_frob runs /usr/lib/frob/frob-helper by its
# hard-coded absolute path with execve, with posix_spawn, and through the shell script helper
# /usr/lib/frob/frob-report, and a shell, a PATH search and Python's subprocess do the same;
# under the rules all of them run from $SNAP/usr/lib/frob/.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

[[ ! -e /usr/lib/frob ]] || skip "/usr/lib/frob exists on this machine; the test needs it absent"
snap_tree frob
mkdir -p "$SNAP/usr/bin" "$SNAP/usr/lib/frob"
cp "$TRACEES/example_frob" "$SNAP/usr/bin/frob"
cp "$TRACEES/example_frob_helper" "$SNAP/usr/lib/frob/frob-helper"
cp "$SRCDIR/tests/support/frob-report" "$SNAP/usr/lib/frob/frob-report"
rules=$(example_rules helpers-exec)
helper=$SNAP/usr/lib/frob/frob-helper

# Natively the helpers are not found.
run "$SNAP/usr/bin/frob" spawn
expect_eq "native spawn" "frob: spawn -> ENOENT" "$OUT"

rd --rules "$rules" -- "$SNAP/usr/bin/frob" execve
expect_status "execve: the helper replaced frob and exits 7" 7
expect_eq "execve" "frob-helper: via-execve exe=$helper" "$OUT"

rd --rules "$rules" -- "$SNAP/usr/bin/frob" spawn
expect_status "posix_spawn: frob returns the helper's status" 7
expect_eq "posix_spawn" $'frob-helper: via-posix_spawn exe='"$helper"$'\nfrob: spawn -> exit 7' "$OUT"

rd --rules "$rules" -- "$SNAP/usr/bin/frob" script
expect_status "script: frob returns the script's status" 3
expect_eq "script helper" "frob-report: \$0=$SNAP/usr/lib/frob/frob-report
frob-helper: via-script exe=$helper
frob-report: helper exited 7
frob: script -> exit 3" "$OUT"

# The same from a shell the application starts with a command line (system(3), popen(3)).
rd --rules "$rules" -- sh -c '/usr/lib/frob/frob-helper via-sh; echo "sh: $?"'
expect_ok "sh -c"
expect_eq "sh -c" $'frob-helper: via-sh exe='"$helper"$'\nsh: 7' "$OUT"
# A helper found through PATH (execvp tries each directory: the /usr/lib/frob one is rewritten),
# and one started by Python's subprocess (fork or vfork, then execve in _posixsubprocess).
# Under --backend inproc the search for the program redirect starts is redirect's own, made
# before the rules apply (docs/inproc.md): that one is checked under ptrace only; a search the
# program makes, under every backend.
if [[ -z ${REDIRECT_BACKEND:-} ]]; then
  PATH=/usr/lib/frob:$PATH rd --rules "$rules" -- frob-helper via-PATH
  expect_status "PATH search" 7
  expect_eq "PATH search" "frob-helper: via-PATH exe=$helper" "$OUT"
fi
PATH=/usr/lib/frob:$PATH rd --rules "$rules" -- sh -c 'frob-helper via-sh-PATH'
expect_status "the shell's PATH search" 7
expect_eq "the shell's PATH search" "frob-helper: via-sh-PATH exe=$helper" "$OUT"
PYTHON=$(python_bin)
rd --rules "$rules" -- "$PYTHON" -c \
  'import subprocess; print("python:", subprocess.run(["/usr/lib/frob/frob-helper", "via-subprocess"]).returncode)'
expect_ok "python subprocess"
expect_eq "python subprocess" $'frob-helper: via-subprocess exe='"$helper"$'\npython: 7' "$OUT"
[[ ! -e /usr/lib/frob ]] || fail "/usr/lib/frob was created on the host"
echo PASS
