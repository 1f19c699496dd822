# ENAMETOOLONG: a string with no NUL within PATH_MAX is left to the kernel (which says
# ENAMETOOLONG) even when the rule would match it; a rewrite to exactly PATH_MAX-1 bytes works;
# a rewrite to PATH_MAX bytes or more fails that syscall with ENAMETOOLONG and the program goes on.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

# Linux's PATH_MAX is 4096 (include/uapi/linux/limits.h); getconf, where there is one (not in
# busybox), says whether this libc agrees.
if command -v getconf >/dev/null; then
  path_max=$(getconf PATH_MAX /)
  [[ $path_max == 4096 ]] || skip "PATH_MAX is $path_max, the literals below assume 4096"
fi
dots=$(printf './%.0s' $(seq 2043))
fits=${dots}real1.txt     # 4095 bytes
toolong=${dots}real12.txt # 4096 bytes
(( ${#fits} == 4095 && ${#toolong} == 4096 )) || fail "bad test literals"
huge=/redirect-virtual/long/$(printf 'a%.0s' $(seq 5000))

echo "fits" >real1.txt
echo "real12" >real12.txt
echo "small" >small.txt
cat >r.toml <<TOML
[[rule]]
name = "fits"
syscalls = ["openat"]
match = '^/redirect-virtual/fits$'
replace = '$fits'

[[rule]]
name = "toolong"
syscalls = ["openat"]
match = '^/redirect-virtual/toolong$'
replace = '$toolong'

[[rule]]
name = "huge"
syscalls = ["openat"]
match = '^/redirect-virtual/long/a+$'
replace = 'small.txt'

[[rule]]
name = "small"
syscalls = ["openat"]
match = '^/redirect-virtual/small$'
replace = 'small.txt'
TOML

run "$TRACEES/fsops" open "$fits" open "$toolong" open "$huge"
expect_ok "native fsops"
expect_eq "native long paths" "open $fits = fits
open $toolong = ENAMETOOLONG
open $huge = ENAMETOOLONG" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/fsops" open /redirect-virtual/fits open /redirect-virtual/toolong \
    open "$huge" open /redirect-virtual/small
  expect_ok "fsops under redirect, --mode $mode"
  expect_eq "long paths under redirect, --mode $mode" "open /redirect-virtual/fits = fits
open /redirect-virtual/toolong = ENAMETOOLONG
open $huge = ENAMETOOLONG
open /redirect-virtual/small = small" "$OUT"
done
echo PASS
