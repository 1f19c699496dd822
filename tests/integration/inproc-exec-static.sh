# The in-process launcher (redirect-inproc-exec) runs a static and a static-pie glibc program
# in its own process, and the program sees the start a kernel exec would have given it: the
# same argv (empty and spaced arguments kept), environment (nothing added), AT_EXECFN,
# AT_ENTRY/AT_PHDR/AT_PHNUM of its own image, fresh AT_RANDOM, AT_BASE 0, comm, its own rseq
# registration, a main-thread stack glibc can find in [stack], working threads with their own
# TLS, malloc, and its exit status. startup_report prints only facts, never addresses, so the
# native run and the launched run must print the same lines. A launched program that execs
# another (natively, or through the launcher again) behaves as natively too, and so does the
# exec form the runtime uses (REDIRECT_INPROC_EXEC), which keeps /proc/self/cmdline. What stays
# the launcher's: /proc/self/exe, and the cmdline of the PROG ARGS form. The launcher is
# started without a runtime configuration here, and must say that the program runs unredirected.
source "$(dirname "$0")/lib/common.bash"
[[ ${REDIRECT_SANITIZED:-0} == 0 ]] || skip "a sanitizer build has no in-process backend or launcher"
: "${BUILDDIR:?BUILDDIR must name the build directory}"
[[ $(uname -m) == x86_64 ]] || skip "the in-process backend and its launcher are x86_64 only"
LAUNCHER=$BUILDDIR/redirect-inproc-exec
[[ -x $LAUNCHER ]] || fail "no launcher at $LAUNCHER"

launched=0
for prog in startup_report-static startup_report-static-pie; do
  p=$TRACEES/$prog
  if [[ ! -x $p ]]; then
    echo "note: $prog not built (no libc.a or no -static-pie here)" >&2
    continue
  fi
  run env -i HOME=/nowhere 'SPACED=a b=c' "$p" report 7 one 'two words' ''
  expect_status "$prog natively" 7
  native=$OUT
  [[ $native == *"rseq registered: yes"* ]] || fail "$prog natively: $native"

  run env -i HOME=/nowhere 'SPACED=a b=c' "$LAUNCHER" "$p" report 7 one 'two words' ''
  expect_status "$prog launched" 7
  expect_eq "$prog launched: what it sees" "$native" "$OUT"
  # Without the runtime, or without REDIRECT_INPROC_CONFIG to arm it with, it says so.
  [[ $ERR == "redirect-inproc-exec: notice: $p runs unredirected: "* && $ERR != *$'\n'* ]] ||
    fail "$prog launched: the notice: $ERR"

  run env -i "$LAUNCHER" --argv0 custom-name -- "$p" report 0
  expect_ok "$prog with --argv0"
  [[ $OUT == *$'argv[0]=<custom-name>\n'*"AT_EXECFN=$p"$'\n'* ]] || fail "$prog --argv0: $OUT"

  # exec from a launched program: natively, and into the launcher again.
  run env -i "$p" exec "$p" again report 3 x
  native=$OUT
  run env -i "$LAUNCHER" "$p" exec "$p" again report 3 x
  expect_status "$prog launched, exec'ing $prog" 3
  expect_eq "$prog launched, exec'ing $prog" "$native" "$OUT"
  run env -i "$LAUNCHER" "$p" exec "$LAUNCHER" launcher "$p" report 4 y
  expect_status "$prog launched, exec'ing the launcher" 4
  [[ $OUT == *$'argv[0]=<'"$p"$'>\nargv[1]=<report>\nargv[2]=<4>\nargv[3]=<y>\n'* ]] ||
    fail "launched twice: $OUT"

  # The exec form (REDIRECT_INPROC_EXEC=PROG, the launcher exec'd with the program's own argv):
  # the same report with the variable gone from the environment, and /proc/self/cmdline as
  # natively, which the PROG ARGS form cannot give (docs/inproc-static.md).
  run env -i HOME=/nowhere 'SPACED=a b=c' "$p" report 7 one 'two words' ''
  native=$OUT
  run env -i HOME=/nowhere 'SPACED=a b=c' REDIRECT_INPROC_EXEC="$p" \
    "$p" exec "$LAUNCHER" "$p" report 7 one 'two words' ''
  expect_status "$prog in the exec form" 7
  expect_eq "$prog in the exec form: what it sees" "$native" "$OUT"
  run "$p" self
  native_cmdline=${OUT%%$'\n'*}
  expect_eq "$prog natively: cmdline" "cmdline=$p|self|" "$native_cmdline"
  run env REDIRECT_INPROC_EXEC="$p" "$p" exec "$LAUNCHER" "$p" self
  expect_eq "$prog in the exec form: cmdline and exe" "$native_cmdline"$'\n'"exe=$(realpath "$LAUNCHER")" "$OUT"
  run "$LAUNCHER" "$p" self
  expect_eq "$prog launched: cmdline and exe" "cmdline=$LAUNCHER|$p|self|"$'\n'"exe=$(realpath "$LAUNCHER")" "$OUT"

  # A set-user-ID program cannot get its owner's credentials from the launcher: it says so.
  # (Only root can give a file to another owner.)
  cp "$p" setuid-prog
  if chown 65534 setuid-prog 2>/dev/null; then
    chmod 4755 setuid-prog
    run "$LAUNCHER" ./setuid-prog report 0
    expect_ok "$prog set-user-ID, launched"
    [[ $ERR == *"redirect-inproc-exec: ./setuid-prog: notice: it is set-user-ID: it runs with the caller's credentials, not its owner's"* ]] ||
      fail "$prog set-user-ID: no notice: $ERR"
  fi
  rm -f setuid-prog
  launched=$((launched + 1))
done
((launched > 0)) || skip "no static tracee could be built (libc6-dev's libc.a is missing)"
echo PASS
