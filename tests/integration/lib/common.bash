# Shared helpers of the integration drivers; every tests/integration/*.sh sources this first:
#   source "$(dirname "$0")/lib/common.bash"
# It is not a test itself (ctest runs only top-level *.sh). It checks the environment ctest
# sets (REDIRECT, TRACEES, SRCDIR, BUILDDIR), moves into a fresh directory removed on exit,
# and skips (77) when this machine refuses ptrace: 125 is redirect's own failure, so a skip
# must come from the probe, never from guessing at redirect's output.
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
skip() {
  echo "SKIP: $*" >&2
  exit 77
}

# kernel_fact WORD: true when the harness that booted this kernel (tests/vm) declared WORD of it
# in REDIRECT_TEST_KERNEL: "i386" or "no-i386" (x86_64: whether it runs i386 programs and
# int $0x80), "mseal" or "no-mseal", "no-vma-names". Elsewhere nothing is declared, and a test that cannot tell skips or accepts
# either branch; where the kernel is known, it asserts the branch that kernel must take (and
# tests/vm/must-run names the tests that may not skip there at all).
kernel_fact() { [[ " ${REDIRECT_TEST_KERNEL:-} " == *" $1 "* ]]; }

: "${REDIRECT:?REDIRECT must name the redirect binary}"
: "${TRACEES:?TRACEES must name the directory of built tracees}"
: "${SRCDIR:?SRCDIR must name the source tree}"
[[ -x $REDIRECT ]] || fail "REDIRECT=$REDIRECT is not an executable"
# Absolute, since the tests run in their own directory.
REDIRECT=$(realpath "$REDIRECT") TRACEES=$(realpath "$TRACEES") SRCDIR=$(realpath "$SRCDIR")
[[ -x $TRACEES/ptrace_probe ]] || fail "tracees not built in $TRACEES"

# Seconds any single run may take before it counts as hung (ctest's own limit is 120 s).
RUN_TIMEOUT=${RUN_TIMEOUT:-60}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/redirect-itest.XXXXXX")
CLEANUP_PIDS=()
cleanup() {
  local pid
  for pid in "${CLEANUP_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  cd /
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

probe_err=$("$TRACEES/ptrace_probe" 2>&1) || skip "ptrace is refused here: $probe_err"
unset probe_err

# run CMD...: runs CMD (with a timeout) and sets STATUS, OUT and ERR (stdout and stderr, trailing
# newlines stripped). Never fails itself, so tests can assert on a non-zero STATUS.
run() {
  STATUS=0
  timeout -k 5 "$RUN_TIMEOUT" "$@" >"$WORK/.out" 2>"$WORK/.err" || STATUS=$?
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
  if [[ $STATUS == 124 ]]; then
    echo "note: timed out after ${RUN_TIMEOUT}s: $*" >&2
  fi
}

# rd ARGS...: `run "$REDIRECT" ARGS...`. With REDIRECT_BACKEND set (make test-inproc), a run
# or a trace (not lint or explain) that names no backend itself gets `--backend
# $REDIRECT_BACKEND` first, so the suite can be run against the in-process backend; the ptrace
# engine's own options, `--mode M` and `--two-stops` (how the tracer stops), mean nothing there
# and are dropped, so the tests that loop over them check the one in-process backend each time.
rd() {
  local sub=()
  case ${1:-} in
    lint | explain) run "$REDIRECT" "$@"; return ;;
    trace) sub=(trace) && shift ;;
  esac
  if [[ -z ${REDIRECT_BACKEND:-} || " $* " == *" --backend "* ]]; then
    run "$REDIRECT" "${sub[@]}" "$@"
    return
  fi
  # redirect's options end at the first word that is not one (or at --): PROG's are kept.
  local in=("$@") args=() k=0
  while ((k < ${#in[@]})); do
    case ${in[k]} in
      --mode) k=$((k + 2)) ;;
      --mode=* | --two-stops) k=$((k + 1)) ;;
      -r | --rules | -o | --log | --report | --suggest | --var | --format | --rules-out)
        args+=("${in[k]}" "${in[k + 1]}") && k=$((k + 2)) ;;
      --) break ;;
      -*) args+=("${in[k]}") && k=$((k + 1)) ;;
      *) break ;;
    esac
  done
  args+=("${in[@]:k}")
  run "$REDIRECT" "${sub[@]}" --backend "$REDIRECT_BACKEND" "${args[@]}"
}

# write_root_alias_rules FILE: rules under which an openat of /redirect-virtual/X opens /X.
write_root_alias_rules() {
  cat >"$1" <<'TOML'
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/(.*)$'
replace = '/$1'
TOML
}

# make_threads_files DIR: DIR/f0 .. DIR/f7 with the contents threads_open checks.
make_threads_files() {
  local k=0 line
  mkdir -p "$1"
  while IFS= read -r line; do
    printf '%s' "$line" >"$1/f$k"
    k=$((k + 1))
  done < <("$TRACEES/threads_open" --make 1 1)
}

# strace_works: true when strace is installed and can trace a program here (a container may
# refuse it ptrace).
strace_works() { command -v strace >/dev/null && strace -o /dev/null true >/dev/null 2>&1; }

# io_uring_works: true when io_uring_setup succeeds natively here (not disabled by
# kernel.io_uring_disabled, an old kernel or a seccomp profile); OUT holds what the probe said.
io_uring_works() {
  run "$TRACEES/harden_io_uring"
  [[ $OUT == "io_uring_setup = ok" ]]
}

# write_io_uring_deny_rules FILE: the cookbook rule of docs/rules.md, which denies
# io_uring_setup with ENOSYS so that programs fall back to plain syscalls.
write_io_uring_deny_rules() {
  cat >"$1" <<'TOML'
[[rule]]
name = "no-io-uring"
syscalls = ["io_uring_setup"]
match = ''
action = "deny"
errno = "ENOSYS"
TOML
}

# write_bundled_file_rules FILE: $WORK/bundled.txt ("in the bundle") and rules under which an
# openat of /redirect-virtual/file opens it.
write_bundled_file_rules() {
  echo "in the bundle" >"$WORK/bundled.txt"
  cat >"$1" <<TOML
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/file\$'
replace = '$WORK/bundled.txt'
TOML
}

# backend_refuses OPTION...: true when REDIRECT_BACKEND names a backend that refuses OPTION
# (the in-process backend refuses --log and --stats, docs/inproc.md), probed with a run of
# `true`; false without REDIRECT_BACKEND. A test checks what such an option shows only where
# it is accepted, and runs the rest under every backend.
backend_refuses() {
  [[ -n ${REDIRECT_BACKEND:-} ]] || return 1
  printf '[[rule]]\nname = "probe"\nsyscalls = ["openat"]\nmatch = "^/redirect-probe$"\nreplace = "/"\n' \
    >"$WORK/.probe.toml"
  ! "$REDIRECT" --backend "$REDIRECT_BACKEND" "$@" --rules "$WORK/.probe.toml" true >/dev/null 2>&1
}

# expect_eq WHAT EXPECTED GOT: fails with both values (and a diff when multi-line).
expect_eq() {
  if [[ $2 != "$3" ]]; then
    echo "FAIL: $1" >&2
    if [[ $2 == *$'\n'* || $3 == *$'\n'* ]]; then
      diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/  /' >&2 || true
    else
      echo "  expected: $2" >&2
      echo "  got:      $3" >&2
    fi
    exit 1
  fi
}

# expect_status WHAT EXPECTED: compares STATUS (from run/rd), shows stderr on mismatch.
expect_status() {
  if [[ $STATUS != "$2" ]]; then
    echo "FAIL: $1: exit status $STATUS, expected $2" >&2
    [[ -n $ERR ]] && printf '  stderr: %s\n' "$ERR" >&2
    [[ -n $OUT ]] && printf '  stdout: %s\n' "$OUT" >&2
    exit 1
  fi
}

# expect_ok WHAT: STATUS is 0 (shows stderr otherwise).
expect_ok() { expect_status "$1" 0; }

# seed_files: ONE.txt and TWO.txt of the seed scenario in the current directory.
seed_files() {
  echo "This is ONE.txt" >ONE.txt
  echo "This is TWO.txt" >TWO.txt
}

# seed_rules FILE: the seed rule (TWO.txt -> ONE.txt), examples/seed.toml when it exists.
seed_rules() {
  if [[ -f $SRCDIR/examples/seed.toml ]]; then
    cp "$SRCDIR/examples/seed.toml" "$1"
  else
    cat >"$1" <<'TOML'
[[rule]]
name = "one"
syscalls = ["%file"]
match = '^(.*/)?TWO\.txt$'
replace = '${1}ONE.txt'
TOML
  fi
}

# wait_for COND_CMD...: polls up to 10 s until the command succeeds; fails otherwise.
wait_for() {
  local i
  for ((i = 0; i < 200; i++)); do
    if "$@"; then return 0; fi
    sleep 0.05
  done
  fail "timed out waiting for: $*"
}

# file_nonempty FILE (for wait_for).
file_nonempty() { [[ -s $1 ]]; }

# proc_state PID: the state letter of /proc/PID/stat (R, S, T, t, Z...), or "gone".
proc_state() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || {
    echo gone
    return
  }
  stat=${stat##*) }
  echo "${stat%% *}"
}

# is_dead PID: the process no longer exists or is a zombie (nobody may have reaped it yet).
is_dead() {
  local s
  s=$(proc_state "$1")
  [[ $s == gone || $s == Z || $s == X ]]
}

# now_ms: milliseconds since the epoch (for "returned within N ms" checks). Bash's own clock:
# busybox's date (the test VMs, tests/vm) has no %N.
now_ms() {
  local us=${EPOCHREALTIME//[.,]/}
  echo $((us / 1000))
}

# tracer_of PID: the pid tracing PID (TracerPid in /proc/PID/status), 0 when none or gone.
tracer_of() {
  local line
  line=$(grep '^TracerPid:' "/proc/$1/status" 2>/dev/null) || {
    echo 0
    return
  }
  echo "${line##*[[:space:]]}"
}

# app_rules FILE: a rule sending $WORK/host/app and everything under it to $WORK/snap, for the
# tests of relative paths (the original location is $WORK/host/app, the bundle $WORK/snap).
app_rules() {
  cat >"$1" <<TOML
[[rule]]
name = "app"
syscalls = ["%file"]
match = '^$WORK/host/app(/.*)?\$'
replace = '$WORK/snap\$1'
TOML
}

# dirfd_ops_tree: what tracees/dirfd_ops works on: $WORK/host/app (the original location,
# which exists with other contents) and $WORK/snap (the bundle), each with child/file and
# t/t-file saying which side they are on, and $WORK/host/plain, a regular file.
dirfd_ops_tree() {
  local side
  for side in host/app snap; do
    mkdir -p "$WORK/$side/child" "$WORK/$side/t"
    echo "$side child file" >"$WORK/$side/child/file"
    echo "$side thread file" >"$WORK/$side/t/t-file"
  done
  echo "a plain file" >"$WORK/host/plain"
}

# virtual_tree_rules FILE: a rule sending /redirect-virtual/X to $WORK/tree/X for every %file
# syscall (the tests of programs that outlive redirect's return).
virtual_tree_rules() {
  cat >"$1" <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/(.*)\$'
replace = '$WORK/tree/\$1'
TOML
}

# short_long_rules FILE: /redirect-virtual/short -> $WORK/short, and /redirect-virtual/long ->
# $WORK/$far, a 3004-byte path to $WORK/long (through d/.. repeated; `far` is set for the
# caller), for the tests of where scratch goes.
short_long_rules() {
  echo "short rewritten" >short
  echo "long rewritten" >long
  mkdir -p d
  far=$(printf 'd/../%.0s' {1..600})long
  cat >"$1" <<TOML
[[rule]]
name = "short"
syscalls = ["openat"]
match = '^/redirect-virtual/short\$'
replace = '$WORK/short'

[[rule]]
name = "long"
syscalls = ["openat"]
match = '^/redirect-virtual/long\$'
replace = '$WORK/$far'
TOML
}

# expect_sigterm_ends_wait_all RPID LEFT NAME: a `redirect trace --wait-all` running as RPID
# (its report NAME.txt, its rules NAME.toml, its stderr NAME.err), whose program has ended
# leaving the sleep LEFT, still waits; SIGTERM then ends it with the program's status (0),
# kills LEFT and says so in the report, and the rules are written.
expect_sigterm_ends_wait_all() {
  local rpid=$1 left=$2 name=$3 status=0
  sleep 0.5
  kill -0 "$rpid" 2>/dev/null ||
    fail "--wait-all returned while a process was left: $(cat "$name.err")"
  kill -TERM "$rpid"
  timeout 20 tail --pid="$rpid" -f /dev/null || fail "SIGTERM did not end the --wait-all trace"
  wait "$rpid" || status=$?
  expect_eq "status after SIGTERM: the program's" 0 "$status"
  grep -q "ended by SIGTERM after the program had ended; killed 1 process: sleep\[$left\]" \
    "$name.txt" || fail "the report does not say how it ended: $(cat "$name.txt")"
  grep -q "^\[\[rule\]\]" "$name.toml" ||
    fail "no rules written on SIGTERM: $(cat "$name.toml" 2>&1)"
  wait_for is_dead "$left"
}

# build_static_go NAME...: tests/integration/go/NAME.go built here as ./NAME, static
# (CGO_ENABLED=0); skips (77) without go or when a build fails.
build_static_go() {
  command -v go >/dev/null || skip "go is not installed (the golang-go package; scripts/install-deps)"
  local name
  for name in "$@"; do
    cp "$SRCDIR/tests/integration/go/$name.go" .
    CGO_ENABLED=0 GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS= GO111MODULE=off \
      go build -o "$name" "$name.go" 2>build.err || skip "go build failed: $(cat build.err)"
  done
}
