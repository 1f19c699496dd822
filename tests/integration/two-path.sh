# Syscalls with two path arguments get both rewritten, each by its own rule, the two new strings
# placed one below the other on the tracee's stack: rename, renameat, renameat2, link, linkat,
# symlink and symlinkat (whose target string counts as a path too). The destination's
# replacement is long (~330 bytes) so that overlapping scratch strings would corrupt one of them.
# Checked in both --mode seccomp and --mode ptrace. aarch64 has no rename, link or symlink (only
# the *at forms): there those three operations use renameat, linkat and symlinkat instead, so
# every file below is still moved, linked or pointed to; on x86_64 the legacy calls must exist.
source "$(dirname "$0")/lib/common.bash"

long=$WORK/$(printf 'd%.0s' {1..200})/real-dst
# fresh_tree: real-src/a..e and an empty $long.
fresh_tree() {
  rm -rf real-src "$long"
  mkdir -p real-src "$long"
  for f in a b c d e; do echo "file $f" >real-src/$f; done
}
fresh_tree

cat >r.toml <<TOML
# The rules name paths as the program writes them, relative ones included.
paths = "as-passed"

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

# fsops prints "unsupported" for a legacy call its arch does not have (tracees/fsops.c).
run "$TRACEES/fsops" rename src/x dst/x
if [[ $OUT == *"= unsupported" ]]; then
  [[ $(uname -m) != x86_64 ]] || fail "fsops has no legacy rename on x86_64: $OUT"
  rename=renameat link=linkat symlink=symlinkat
  echo "note: $(uname -m) has no rename, link or symlink: their *at forms run instead"
else
  rename=rename link=link symlink=symlink
fi
ops=("$rename" src/a dst/a renameat src/b dst/b renameat2 src/c dst/c "$link" src/d dst/d
  linkat src/e dst/e "$symlink" src/f dst/f symlinkat src/g dst/g)
# results RESULT: the lines fsops prints when every operation of ops gives RESULT.
results() {
  local i
  for ((i = 0; i < ${#ops[@]}; i += 3)); do
    echo "${ops[i]} ${ops[i + 1]} ${ops[i + 2]} = $1"
  done
}

run "$TRACEES/fsops" "${ops[@]}"
expect_ok "native fsops"
expect_eq "native run" "$(results ENOENT)" "$OUT"

for mode in seccomp ptrace; do
  fresh_tree
  rd --mode $mode --rules r.toml "$TRACEES/fsops" "${ops[@]}"
  expect_ok "fsops under redirect, --mode $mode"
  expect_eq "two-path syscalls under redirect, --mode $mode" "$(results ok)" "$OUT"

  for f in a b c; do
    [[ ! -e real-src/$f ]] || fail "rename of $f left real-src/$f, --mode $mode"
    expect_eq "content of renamed $f, --mode $mode" "file $f" "$(cat "$long/$f")"
  done
  for f in d e; do
    [[ real-src/$f -ef $long/$f ]] || fail "$long/$f is not a hard link of real-src/$f, --mode $mode"
  done
  for f in f g; do
    expect_eq "target of symlink $f, --mode $mode" "real-src/$f" "$(readlink "$long/$f")"
  done
done
echo PASS
