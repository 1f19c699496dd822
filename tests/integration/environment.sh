# The program's environment is its own: environment variables, working directory, umask,
# signal mask and ignored signals, and open file descriptors (redirect's own, like its --log
# file, must not leak into the program) are as when it runs natively.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
mkdir sub
cd sub
umask 027
export REDIRECT_T_VAR="a value"
trap '' USR2 # ignored signals are inherited through exec
probe='env | grep -v "^_=" | LC_ALL=C sort; pwd; umask; grep -E "^Sig(Blk|Ign)" /proc/self/status; ls /proc/self/fd'

run sh -c "$probe"
expect_ok "native probe"
native=$OUT
[[ $native == *REDIRECT_T_VAR=* && $native == *SigIgn* ]] || fail "native probe output: $native"

rd --rules ../r.toml sh -c "$probe"
expect_ok "probe under redirect"
expect_eq "environment under redirect" "$native" "$OUT"

rd --log ../log.txt --rules ../r.toml sh -c "$probe"
expect_ok "probe under redirect --log FILE"
expect_eq "environment under redirect --log FILE (no leaked log fd)" "$native" "$OUT"
echo PASS
