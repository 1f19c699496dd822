# A program that is itself a tracer cannot trace under redirect: a task has only one tracer,
# and redirect already traces every descendant. Nested tracing does not work, and it fails
# clearly: PTRACE_TRACEME and PTRACE_SEIZE get EPERM (the program still runs, rewritten), and
# strace under redirect says "Operation not permitted" and exits 1 without running its command.
# redirect traps ptrace's attach requests and says once what happens and what to do instead;
# `strace -f redirect ...` gets its own explanation (redirect is itself traced), not Yama.
source "$(dirname "$0")/lib/common.bash"

write_bundled_file_rules r.toml

run "$TRACEES/harden_ptrace_user" bundled.txt
expect_ok "native run"
expect_eq "native run" "traceme = ok
child open bundled.txt = in the bundle
seize = ok" "$OUT"

rd --rules r.toml "$TRACEES/harden_ptrace_user" /redirect-virtual/file
expect_ok "ptrace user under redirect"
expect_eq "nested ptrace requests fail with EPERM" "traceme = EPERM
child open /redirect-virtual/file = in the bundle
seize = EPERM" "$OUT"

if command -v strace >/dev/null; then
  if strace_works; then
    rd --rules r.toml strace -o /dev/null cat /redirect-virtual/file
    expect_status "strace under redirect" 1
    expect_eq "strace's command does not run" "" "$OUT"
    [[ $ERR == *"PTRACE_TRACEME"*"Operation not permitted"* ]] ||
      fail "strace does not say why: $ERR"
    # redirect says why, once: one tracer per process, and what to do instead.
    n=$(grep -c "a process can have only one tracer" <<<"$ERR" || true)
    ((n == 1)) || fail "redirect's nested-tracer message $n times, expected once: $ERR"
    [[ $ERR == *"Run the tool outside redirect"* ]] || fail "no advice: $ERR"
    # strace -f ls under redirect: the same, once.
    rd --rules r.toml strace -f -o /dev/null ls
    expect_status "strace -f ls under redirect" 1
    n=$(grep -c "a process can have only one tracer" <<<"$ERR" || true)
    ((n == 1)) || fail "strace -f ls: the message $n times, expected once: $ERR"
    # strace -f redirect ...: strace follows redirect's child first; redirect says so rather
    # than blame Yama.
    # (LeakSanitizer cannot run in a traced process: off for this run of a sanitizer build.)
    run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
      strace -f -o /dev/null "$REDIRECT" --rules r.toml cat /redirect-virtual/file
    expect_status "strace -f redirect" 125
    [[ $ERR == *"redirect is itself traced (by pid "* ]] || fail "strace -f redirect: $ERR"
    [[ $ERR != *Yama* ]] || fail "strace -f redirect blames Yama: $ERR"
  else
    echo "note: strace cannot run here natively; skipped that part"
  fi
fi
echo PASS
