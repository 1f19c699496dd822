# A thread blocked inside a rewritten syscall (openat of a FIFO nobody opens) dies because
# another thread calls exit(3), or execs: it never reaches the exit stop where redirect would
# restore its registers. redirect must end quietly with the program's status (3), or go on
# tracing the exec'd program (whose open is rewritten).
source "$(dirname "$0")/lib/common.bash"

mkfifo real.fifo
cp "$TRACEES/fsops" fsops-copy
echo "after exec" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "fifo"
syscalls = ["%file"]
match = '^/redirect-virtual/fifo$'
replace = '$WORK/real.fifo'

[[rule]]
name = "file"
syscalls = ["%file"]
match = '^/redirect-virtual/file$'
replace = '$WORK/real.txt'

[[rule]]
name = "prog"
syscalls = ["%file"]
match = '^/redirect-virtual/prog$'
replace = '$WORK/fsops-copy'
TOML

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/blocked_exit" /redirect-virtual/fifo exit
  expect_status "exit(3) while a thread is blocked in a rewritten open, --mode $mode" 3
  expect_eq "stdout, --mode $mode" "" "$OUT"
  expect_eq "redirect's stderr, --mode $mode" "" "$ERR"

  rd --mode $mode --rules r.toml "$TRACEES/blocked_exit" /redirect-virtual/fifo exec \
    /redirect-virtual/prog open /redirect-virtual/file
  expect_ok "exec while a thread is blocked in a rewritten open, --mode $mode"
  expect_eq "exec'd program, --mode $mode" "open /redirect-virtual/file = after exec" "$OUT"
  expect_eq "redirect's stderr after exec, --mode $mode" "" "$ERR"
done
echo PASS
