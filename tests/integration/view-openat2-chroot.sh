# One semantics for walks the program confines and for other roots. openat2 with
# RESOLVE_BENEATH or RESOLVE_IN_ROOT: a rewrite whose result lies below the dirfd's directory is
# handed over relative to it (before, the absolute rewrite failed with EXDEV under BENEATH and
# was re-rooted under the dirfd under IN_ROOT), one that leaves it leaves the call as made; a
# dirfd opened through a rule already names the bundle. After chroot, every path of the tracee
# is left as passed, absolute ones too (before, only relative ones were). Both modes.
source "$(dirname "$0")/lib/common.bash"
run "$TRACEES/openat2_confined" / etc/hostname
[[ $OUT == "beneath = "* && $OUT != *ENOSYS* ]] || skip "openat2 is not available here: $OUT $ERR"

app_rules r.toml
log=(--log log.txt)
[[ -z ${REDIRECT_BACKEND:-} ]] || log=()  # --log is the ptrace backend's (make test-inproc)
mkdir -p host snap
echo "bundle f" >snap/f
for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/openat2_confined" "$WORK" host/app/f
  expect_eq "a rewrite below the dirfd, relative to it, --mode $mode" "beneath = bundle f
in_root = bundle f" "$OUT"
  rd --mode $mode --rules r.toml "$TRACEES/openat2_confined" "$WORK/host/app" f
  expect_eq "a dirfd opened through the rule, --mode $mode" "beneath = bundle f
in_root = bundle f" "$OUT"
  rd --mode $mode "${log[@]}" --rules r.toml "$TRACEES/openat2_confined" "$WORK/host" app/f
  expect_eq "a rewrite that leaves the dirfd's tree: the call as made, --mode $mode" "beneath = ENOENT
in_root = ENOENT" "$OUT"
  ((${#log[@]} == 0)) ||
    grep -qF "RESOLVE_BENEATH or RESOLVE_IN_ROOT keeps the walk below the dirfd" log.txt ||
    fail "the confined call left alone is not logged, --mode $mode: $(cat log.txt)"
done

# chroot: absolute paths are the chroot's own, as relative ones.
[[ $(id -u) == 0 ]] || { echo "view-openat2-chroot: ok (chroot part skipped: not root)"; exit 0; }
mkdir -p "root$WORK/host/app"
echo "the chroot's own file" >"root$WORK/host/app/f"
if command -v python3 >/dev/null; then
  # The process that calls chroot: its absolute paths after it are the chroot's own.
  for mode in seccomp ptrace; do
    rd --mode $mode --rules r.toml python3 -c "import os; os.chroot('root'); print(open('$WORK/host/app/f').read(), end='')"
    expect_eq "an absolute path after the program's own chroot, --mode $mode" "the chroot's own file" "$OUT"
  done
fi
busybox=$(command -v busybox) || { echo "view-openat2-chroot: ok (no busybox)"; exit 0; }
file "$busybox" 2>/dev/null | grep -q 'statically linked' || [[ ! -x /usr/bin/file ]] ||
  { echo "view-openat2-chroot: ok (busybox not static)"; exit 0; }
mkdir -p root/bin
cp "$busybox" root/bin/busybox
for mode in seccomp ptrace; do
  rd --mode $mode "${log[@]}" --rules r.toml chroot root /bin/busybox cat "$WORK/host/app/f"
  expect_eq "an absolute path inside a chroot, --mode $mode" "the chroot's own file" "$OUT"
done
echo "view-openat2-chroot: ok"
