# No trapped call writes on the program's stack under --backend inproc: the SIGSYS frame and our
# handler's frames go on the thread's private stack, armed as its alternate signal stack while
# the program has none of its own. Natively a system call writes nothing below the stack
# pointer, and a Go thread that ends relies on that: it marks its stack free for another thread
# to take and then calls exit (the crash, about once in 130 runs, that kept static Go programs
# refused). stack_untouched checks both: a pattern below the stack pointer across a getppid and
# a rewritten openat, and a thread that calls exit on a stack it has just made PROT_NONE.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
[[ $(uname -m) == x86_64 ]] || skip "stack_untouched is x86_64 assembly"
write_bundled_file_rules r.toml

run "$TRACEES/stack_untouched" bundled.txt
expect_ok "native run"
expected=$'below-sp untouched, openat opened\nexit on a dead stack: joined'
expect_eq "native run" "$expected" "$OUT"

rd --backend inproc --rules r.toml "$TRACEES/stack_untouched" /redirect-virtual/file
expect_ok "under --backend inproc ($ERR)"
expect_eq "under --backend inproc" "$expected" "$OUT"
echo PASS
