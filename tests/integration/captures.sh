# Capture groups in the replacement: numbered ($1, ${2}) and named (${name}), and $$ for a
# literal dollar. The virtual paths do not exist, so natively every open fails with ENOENT.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

mkdir -p store
echo "photos 12" >store/photos-12.txt
# shellcheck disable=SC2016 # a literal dollar in the file name and content
echo 'dollar $x' >'store/$x'

cat >r.toml <<TOML
[[rule]]
name = "named"
syscalls = ["openat"]
match = '^/redirect-virtual/(?<app>[a-z]+)/(\d+)\.txt$'
replace = '$WORK/store/\${app}-\${2}.txt'

[[rule]]
name = "dollar"
syscalls = ["openat"]
match = '^/redirect-virtual/dollar/(.)$'
replace = '$WORK/store/\$\$\$1'
TOML

run "$TRACEES/fsops" open /redirect-virtual/photos/12.txt open /redirect-virtual/dollar/x
expect_ok "native fsops"
expect_eq "native run" "open /redirect-virtual/photos/12.txt = ENOENT
open /redirect-virtual/dollar/x = ENOENT" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/fsops" open /redirect-virtual/photos/12.txt \
    open /redirect-virtual/dollar/x open /redirect-virtual/photos/x.txt
  expect_ok "fsops under redirect, --mode $mode"
  expect_eq "rewritten opens, --mode $mode" "open /redirect-virtual/photos/12.txt = photos 12
open /redirect-virtual/dollar/x = dollar \$x
open /redirect-virtual/photos/x.txt = ENOENT" "$OUT"
done
echo PASS
