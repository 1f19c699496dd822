# A statically linked program (no dynamic loader, no libc.so) is traced and rewritten like a
# dynamic one: openat, a two-path renameat (aarch64 has no rename) and an execve of a rewritten
# path.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"
prog=$TRACEES/fsops-static
[[ -x $prog ]] || skip "no static tracee: the toolchain cannot link -static (libc6-dev's libc.a)"
if command -v file >/dev/null; then
  file -L "$prog" | grep -Eq 'statically linked|static-pie linked' || fail "$prog is not static"
fi

mkdir real
echo "static read" >real/f
echo "to rename" >real/g
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/s/(.*)$'
replace = '$WORK/real/\$1'
TOML

ops=(open /redirect-virtual/s/f renameat /redirect-virtual/s/g /redirect-virtual/s/h
  open /redirect-virtual/s/h exec /redirect-virtual/s/fsops-static open /redirect-virtual/s/f)

run "$prog" "${ops[@]}"
expect_eq "native run" "open /redirect-virtual/s/f = ENOENT
renameat /redirect-virtual/s/g /redirect-virtual/s/h = ENOENT
open /redirect-virtual/s/h = ENOENT
exec /redirect-virtual/s/fsops-static = ENOENT" "$OUT"

cp "$prog" real/fsops-static
for mode in seccomp ptrace; do
  if [[ -e real/h ]]; then mv real/h real/g; fi
  rd --mode $mode --rules r.toml "$prog" "${ops[@]}"
  expect_ok "static fsops under redirect, --mode $mode"
  expect_eq "static program rewritten, --mode $mode" "open /redirect-virtual/s/f = static read
renameat /redirect-virtual/s/g /redirect-virtual/s/h = ok
open /redirect-virtual/s/h = to rename
open /redirect-virtual/s/f = static read" "$OUT"
done
echo PASS
