# Relative paths reach a redirected directory through directory fds and working directories
# that are not redirected themselves, and the rules see the path the kernel will reach:
# openat(dirfd, "app/child/file"), renameat with two different dirfds, mkdirat and "./" and
# "//" in a relative name, chdir then relative names, a chdir by a relative name into the
# redirected directory (its own relative names are not rewritten again), and a thread that
# leaves the shared working directory with unshare(CLONE_FS), and one that gets descriptors of
# its own with unshare(CLONE_FILES), where a dirfd number names another directory than in the
# main thread. Left to the kernel, as natively:
# a dirfd on a regular file or a pipe (ENOTDIR), a closed or negative one (EBADF),
# AT_EMPTY_PATH with "", and a relative path whose resolved form is longer than PATH_MAX
# (logged). Both modes.
source "$(dirname "$0")/lib/common.bash"

dirfd_ops_tree
app_rules r.toml

expected="openat(PARENT fd, app/child/file) = snap child file
write PARENT_NAME/app/child/a (PARENT/.. fd) = ok
renameat(PARENT/.. fd, PARENT_NAME/app/child/a, PARENT fd, app/b) = ok
openat(PARENT fd, app/b) = moved
mkdirat(PARENT fd, app/new) = ok
write .//app/new/./x = ok
openat(PARENT fd, app/new/x) = dots
openat(regular file fd, app/child/file) = ENOTDIR
openat(pipe fd, app/child/file) = ENOTDIR
openat(closed fd 999, app/child/file) = EBADF
newfstatat(regular file fd, \"\", AT_EMPTY_PATH) = a regular file
chdir PARENT = ok
read app/child/file = snap child file
openat(negative fd -5, app/child/file) = EBADF
write app/cwd-made = ok
chdir app = ok
read child/file = snap child file
chdir PARENT again = ok
thread: unshare(CLONE_FS), chdir PARENT/.. = ok
thread: read PARENT_NAME/app/t/t-file = snap thread file
main: read app/child/file (its cwd is still PARENT) = snap child file
files thread: unshare(CLONE_FILES), the PARENT/.. fd number on PARENT: read app/child/file = snap child file
main: read PARENT_NAME/app/child/file (its PARENT/.. fd is unchanged) = snap child file"

for mode in seccomp ptrace; do
  rm -rf snap/new snap/b snap/cwd-made
  rd --mode $mode --log log.txt --rules r.toml "$TRACEES/dirfd_ops" "$WORK/host"
  expect_ok "dirfd_ops, --mode $mode"
  expect_eq "relative paths reach the redirected tree, --mode $mode" "$expected" "$OUT"
  for f in new/x b cwd-made; do
    [[ -e snap/$f ]] || fail "snap/$f was not created, --mode $mode"
    [[ ! -e host/app/$f ]] || fail "host/app/$f was written on the host, --mode $mode"
  done
  # The log names the string as passed and the path it resolved to.
  grep -qF "openat[1] rewrite \"app/child/file\" ($WORK/host/app/child/file) -> \"$WORK/snap/child/file\" rule 'app'" log.txt ||
    fail "--log does not show the passed and resolved strings, --mode $mode: $(cat log.txt)"
  # Inside the redirected directory, a relative name is matched in the program's view (the
  # directory read back to host/app), and the rewrite lands where the string already goes: the
  # program's own string is kept.
  grep -qF "openat[1] rewrite \"child/file\" ($WORK/host/app/child/file) -> the same path: left as passed rule 'app'" log.txt ||
    fail "child/file is not matched in the program's view and left as passed, --mode $mode: $(cat log.txt)"
  if grep -F "\"child/file\" -> \"" log.txt; then fail "child/file was rewritten again, --mode $mode"; fi
  grep -qF 'it is not a file in the file system' log.txt ||
    fail "the pipe dirfd is not logged as unnamed, --mode $mode: $(cat log.txt)"

  rd --mode $mode --log long.txt --stats --rules r.toml "$TRACEES/dirfd_ops" --long "$WORK/host"
  expect_ok "dirfd_ops --long, --mode $mode"
  # Left as passed, the kernel reaches the host's file: nothing is truncated or guessed.
  expect_eq "a path too long once joined is left to the kernel, --mode $mode" \
    "read app/(child/../)*child/file, longer than PATH_MAX once joined = host/app child file" "$OUT"
  grep -qF 'longer than PATH_MAX' long.txt || fail "the long path is not logged: $(cat long.txt)"
  [[ $ERR == *"1 relative to an unnamed directory"* ]] ||
    fail "--stats does not count the unnamed directory, --mode $mode: $ERR"
done
echo "relative-dirfd: ok"
