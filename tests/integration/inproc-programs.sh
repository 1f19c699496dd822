# --backend inproc runs real programs with their paths rewritten, without ptrace: cat and ls
# of a rewritten path, python3 importing a module from a rewritten directory, a threaded C
# tracee (every thread armed by the handler's own clone), and a fork + exec of a dynamic child
# with an emptied environment (LD_AUDIT and the configuration put back), from the main thread
# and from a second one. The rules use @{VAR}, whose value must be the one redirect started
# with, also in the child whose environment was emptied.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

mkdir -p tree/sub pymods
echo "through the rule" >tree/f
echo "second" >tree/sub/g
echo 'WHERE = "bundle"' >pymods/where_mod.py
make_threads_files threads
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/(.*)\$'
replace = '@{INPROC_TEST_ROOT}/\$1'
TOML
export INPROC_TEST_ROOT=$WORK/tree

rd --backend inproc --rules r.toml cat /redirect-virtual/f
expect_ok "cat under --backend inproc"
expect_eq "cat reads the rewritten file" "through the rule" "$OUT"

rd --backend inproc --rules r.toml ls /redirect-virtual/sub
expect_ok "ls under --backend inproc"
expect_eq "ls lists the rewritten directory" "g" "$OUT"

# Python: its own start-up runs hundreds of calls through the handler before the import.
cat >r-py.toml <<TOML
[[rule]]
name = "mods"
syscalls = ["%file"]
match = '^/redirect-virtual-py(/.*)?\$'
replace = '$WORK/pymods\$1'
TOML
if command -v python3 >/dev/null; then
  rd --backend inproc --rules r-py.toml python3 -c \
    'import sys; sys.path.insert(0, "/redirect-virtual-py"); import where_mod; print(where_mod.WHERE)'
  expect_ok "python3 under --backend inproc"
  expect_eq "python3 imports from the rewritten directory" "bundle" "$OUT"
fi

cat >r-threads.toml <<TOML
[[rule]]
name = "threads"
syscalls = ["openat"]
match = '^/redirect-virtual-t/(.*)\$'
replace = '$WORK/threads/\$1'
TOML
rd --backend inproc --rules r-threads.toml "$TRACEES/threads_open" /redirect-virtual-t 4 500
expect_ok "threads_open under --backend inproc"
expect_eq "every thread's opens rewritten" "threads ok 2000" "$OUT"

# The child's environment is empty: the rule's @{INPROC_TEST_ROOT} must still mean $WORK/tree.
for how in "" thread; do
  rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" $how /bin/cat /redirect-virtual/f
  expect_ok "exec with an empty environment ${how:+(from a thread)}"
  expect_eq "the exec'd child is redirected ${how:+(from a thread)}" "through the rule" "$OUT"
done
echo PASS
