# A relative name is matched against the working directory as it is at that very call,
# however it changed since the last one: chdir, fchdir by another thread sharing the fs,
# unshare(CLONE_FS) in a thread, setns into a mount namespace (the cwd becomes "/"), chroot
# (relative names are left to the kernel), and a rename of one of its ancestors by a process
# redirect does not trace. Each open is made twice, so a directory name kept from an earlier
# call would show. Both modes.
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

first_opens_done() { [[ $(wc -l <rename.out) -ge 2 ]]; }

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
  mkfifo h-rename/go
  rm -r h-rename/app
  timeout -k 5 "$RUN_TIMEOUT" "$REDIRECT" --mode $m --rules r.toml "$TRACEES/cwd_changes" \
    "$WORK/h-rename" rename >rename.out 2>rename.err &
  tracer=$!
  CLEANUP_PIDS+=("$tracer")
  wait_for first_opens_done
  mv h-rename/away h-rename/app
  : >h-rename/go  # opening it lets the tracee go on; a write could meet a closed reader (SIGPIPE)
  STATUS=0
  wait "$tracer" || STATUS=$?
  ERR=$(cat rename.err)
  expect_ok "cwd_changes rename, --mode $m"
  expect_eq "rename of an ancestor by an untraced process, --mode $m" \
    "$(twice "away/d: openat = host away d f")
$(twice "after the rename, app/d: openat = snap d f")" "$(cat rename.out)"
done
echo "relative-cwd-changes: ok"
