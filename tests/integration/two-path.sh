# Syscalls with two path arguments get both rewritten, each by its own rule, the two new strings
# placed one below the other on the tracee's stack: rename, renameat, renameat2, link, linkat,
# symlink and symlinkat (whose target string counts as a path too). The destination's
# replacement is long (~330 bytes) so that overlapping scratch strings would corrupt one of them.
source "$(dirname "$0")/lib/common.bash"

long=$WORK/$(printf 'd%.0s' {1..200})/real-dst
mkdir -p real-src "$long"
for f in a b c d e; do echo "file $f" >real-src/$f; done

cat >r.toml <<TOML
[[rule]]
name = "src"
syscalls = ["rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat"]
match = '^src/(.*)$'
replace = 'real-src/\$1'

[[rule]]
name = "dst"
syscalls = ["rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat"]
match = '^dst/(.*)$'
replace = '$long/\$1'
TOML

ops=(rename src/a dst/a renameat src/b dst/b renameat2 src/c dst/c link src/d dst/d
  linkat src/e dst/e symlink src/f dst/f symlinkat src/g dst/g)

run "$TRACEES/fsops" "${ops[@]}"
expect_ok "native fsops"
expect_eq "native run" "rename src/a dst/a = ENOENT
renameat src/b dst/b = ENOENT
renameat2 src/c dst/c = ENOENT
link src/d dst/d = ENOENT
linkat src/e dst/e = ENOENT
symlink src/f dst/f = ENOENT
symlinkat src/g dst/g = ENOENT" "$OUT"

rd --rules r.toml "$TRACEES/fsops" "${ops[@]}"
expect_ok "fsops under redirect"
expect_eq "two-path syscalls under redirect" "rename src/a dst/a = ok
renameat src/b dst/b = ok
renameat2 src/c dst/c = ok
link src/d dst/d = ok
linkat src/e dst/e = ok
symlink src/f dst/f = ok
symlinkat src/g dst/g = ok" "$OUT"

for f in a b c; do
  [[ ! -e real-src/$f ]] || fail "rename of $f left real-src/$f"
  expect_eq "content of renamed $f" "file $f" "$(cat "$long/$f")"
done
for f in d e; do
  [[ real-src/$f -ef $long/$f ]] || fail "$long/$f is not a hard link of real-src/$f"
done
for f in f g; do
  expect_eq "target of symlink $f" "real-src/$f" "$(readlink "$long/$f")"
done
echo PASS
