# A relative name is matched against the working directory as it is at that very call,
# however it changed since the last one: chdir, fchdir by another thread sharing the fs,
# unshare(CLONE_FS) in a thread, setns into a mount namespace (the cwd becomes "/"), chroot
# (relative names are left to the kernel), and a rename of one of its ancestors by a process
# redirect does not trace, or its removal by one (rmdir, or another directory renamed over
# it: the name is then "... (deleted)" and relative names are left to the kernel). Each open
# is made twice, so a directory name kept from an earlier call would show. Both modes.
source "$(dirname "$0")/lib/common.bash"

# The rule acts on openat alone: chdir and fchdir reach the host's directories themselves, so
# only the name redirect gives the working directory decides where a relative open goes.

mkdir -p snap/d
echo "snap f" >snap/f
echo "snap d f" >snap/d/f
cat >r.toml <<TOML
[[rule]]
name = "app"
syscalls = ["openat"]
match = '^$WORK/h-[a-z]+/app(/.*)?\$'
replace = '$WORK/snap\$1'

[[rule]]
name = "root"
syscalls = ["openat"]
match = '^/redirect-cwd-test-(.*)\$'
replace = '$WORK/snap/\$1'
TOML

# h-MODE: a host tree per mode; app is the rewritten directory, which exists with other contents.
host_tree() {
  rm -rf "h-$1"
  mkdir -p "h-$1"/{app,other,jail,away/d}
  echo "host app f" >"h-$1/app/f"
  echo "host other f" >"h-$1/other/f"
  echo "host away d f" >"h-$1/away/d/f"
}

first_opens_done() { [[ $(wc -l <changed.out) -ge 2 ]]; }

# changed_by_untraced MODE TRACEE_MODE WHAT COMMAND EXPECTED: runs cwd_changes TRACEE_MODE in
# h-TRACEE_MODE under redirect --mode MODE; once its first two opens are done, this untraced
# shell runs COMMAND and lets it go on (the FIFO h-TRACEE_MODE/go); its output must be EXPECTED.
changed_by_untraced() {
  local m=$1 tm=$2 what=$3 command=$4 expected=$5
  mkfifo "h-$tm/go"
  : >changed.out  # the first opens are waited for in it: none from an earlier case
  timeout -k 5 "$RUN_TIMEOUT" "$REDIRECT" --mode "$m" --rules r.toml "$TRACEES/cwd_changes" \
    "$WORK/h-$tm" "$tm" >changed.out 2>changed.err &
  local tracer=$!
  CLEANUP_PIDS+=("$tracer")
  wait_for first_opens_done
  $command
  # Opening it lets the tracee go on (a write could meet a closed reader: SIGPIPE); bounded,
  # so that a tracee that ended early fails the test instead of hanging it.
  timeout 10 sh -c ': >"$1"' sh "h-$tm/go" || echo "note: the tracee never opened h-$tm/go" >&2
  STATUS=0
  wait "$tracer" || STATUS=$?
  OUT=$(cat changed.out) ERR=$(cat changed.err)
  expect_ok "cwd_changes $tm ($what), --mode $m"
  expect_eq "$what by an untraced process, --mode $m" "$expected" "$(cat changed.out)"
}

twice() { printf '%s\n%s' "$1" "$1"; }

expect_mode() {
  local mode=$1 rdmode=$2 expected=$3
  host_tree "$mode"
  rd --mode "$rdmode" --rules r.toml "$TRACEES/cwd_changes" "$WORK/h-$mode" "$mode"
  if [[ $OUT == "setns = EPERM" || $OUT == *"chroot = EPERM"* ]]; then
    echo "note: $mode needs CAP_SYS_ADMIN/CAP_SYS_CHROOT here; not checked" >&2
    return 0
  fi
  expect_ok "cwd_changes $mode, --mode $rdmode"
  expect_eq "$mode, --mode $rdmode" "$expected" "$OUT"
}

for m in seccomp ptrace; do
  expect_mode chdir $m "$(twice "other: openat = host other f")
$(twice "app: openat = snap f")"
  expect_mode fchdir $m "$(twice "other: openat = host other f")
$(twice "after the thread's fchdir: openat = snap f")"
  expect_mode unshare $m "$(twice "app: openat = snap f")
$(twice "thread, shared cwd app: openat = snap f")
$(twice "thread, own cwd other: openat = host other f")
$(twice "main, cwd app: openat = snap f")"
  expect_mode setns $m "$(twice "app: openat = snap f")
$(twice "after setns, cwd /: openat = snap f")"
  # After chroot redirect leaves relative names as passed: its root is checked before the
  # cwd is named.
  expect_mode chroot $m "$(twice "app: openat = snap f")
$(twice "after chroot, cwd outside the root: openat = host app f")"

  # The rename: this shell is not traced. The tracee waits on the FIFO h-rename/go.
  host_tree rename
  rm -r h-rename/app
  changed_by_untraced $m rename "rename of an ancestor" "mv h-rename/away h-rename/app" \
    "$(twice "away/d: openat = host away d f")
$(twice "after the rename, app/d: openat = snap d f")"
  # The working directory removed: app is empty on the host, its name rewritten until then.
  for how in "rmdir h-removed/app" "mv -T h-removed/other h-removed/app"; do
    host_tree removed
    rm h-removed/app/f h-removed/other/f
    changed_by_untraced $m removed "$how" "$how" "$(twice "app: openat = snap f")
$(twice "after app was removed: openat = ENOENT")"
  done
done
echo "relative-cwd-changes: ok"
