# One rule on %file rewrites the path of every kind of file syscall, not only openat: legacy
# open, openat2, newfstatat, statx, faccessat, faccessat2, readlinkat, mkdirat, unlinkat,
# truncate, fchmodat, utimensat (and utimensat with a NULL path on an fd, which must be left
# alone), inotify_add_watch, getxattr, chdir, execveat. Each behaves exactly as the native run
# on the real paths.
source "$(dirname "$0")/lib/common.bash"

real=$WORK/real
mkdir -p "$real/sub"
cp "$TRACEES/fsops" "$real/"
printf 'content a\n' >"$real/a"
printf 'content b\n' >"$real/b"
printf 'in sub\n' >"$real/sub/rel.txt"
ln -s a "$real/link"
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/f/(.*)$'
replace = '$real/\$1'
TOML

# ops DIR: the operations, on paths under DIR.
ops() {
  local d=$1
  echo open_legacy "$d/a" openat2 "$d/a" stat "$d/a" statx "$d/a" access "$d/a" \
    faccessat2 "$d/a" readlink "$d/link" mkdir "$d/newdir" unlink "$d/b" truncate "$d/a" \
    open "$d/a" chmod "$d/a" utimens "$d/a" futimens "$d/a" inotify "$d/a" \
    getxattr "$d/a" chdir "$d/sub" open rel.txt \
    execveat "$d/fsops" statx "$d/sub/rel.txt"
}

# shellcheck disable=SC2046 # ops prints words without spaces on purpose
run "$TRACEES/fsops" $(ops "$real")
[[ $OUT == *"open rel.txt = in sub"* ]] || fail "native run: $OUT"
native=${OUT//$real//redirect-virtual/f}
[[ $native != *"= unsupported"* ]] || native=$(grep -v '= unsupported' <<<"$native")

# Restore what the native run changed.
rm -rf "$real/newdir"
printf 'content a\n' >"$real/a"
printf 'content b\n' >"$real/b"
chmod 644 "$real/a"

# shellcheck disable=SC2046
rd --rules r.toml "$TRACEES/fsops" $(ops /redirect-virtual/f)
expect_ok "fsops under redirect"
got=$OUT
[[ $got != *"= unsupported"* ]] || got=$(grep -v '= unsupported' <<<"$got")
expect_eq "file syscalls under redirect, against the native run" "$native" "$got"
[[ -d $real/newdir && ! -e $real/b ]] || fail "mkdirat/unlinkat did not act on the real paths"
echo PASS
