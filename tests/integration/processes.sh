# A shell pipeline and a background job under redirect: every process of the pipeline and the
# job is traced (their opens are rewritten), and the output is the native one with real paths.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

mkdir real
echo "alpha" >real/a
echo "beta" >real/b
echo "gamma" >real/c
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/p/(.*)$'
replace = '$WORK/real/\$1'
TOML

script='cat DIR/a | tr a-z A-Z | cat
(sleep 0.2; cat DIR/b; echo bg-done) >bg1.out &
cat DIR/c >bg2.out &
wait
cat bg1.out bg2.out
cat DIR/a DIR/b | sort -r | head -1
echo end'

run bash -c "${script//DIR/real}"
expect_ok "native script"
native=$OUT
expect_eq "native script output" "ALPHA
beta
bg-done
gamma
beta
end" "$native"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml bash -c "${script//DIR//redirect-virtual/p}"
  expect_ok "script under redirect, --mode $mode"
  expect_eq "pipeline and background jobs under redirect, --mode $mode" "$native" "$OUT"
  expect_eq "stderr under redirect, --mode $mode" "" "$ERR"
done
echo PASS
