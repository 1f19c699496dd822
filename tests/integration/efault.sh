# Unreadable path pointers are left to the kernel, which answers EFAULT as natively: a bad
# pointer, a PROT_NONE page, and a string that runs into an unmapped page before its NUL (its
# readable part is a whole matching path, which must not be taken for the string). Strings that
# end exactly at a page end, or cross between two mapped pages, are rewritten normally.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

echo "real f" >f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/e/(.*)$'
replace = '$WORK/\$1'
TOML

run "$TRACEES/efault" /redirect-virtual/e/f
expect_ok "native efault"
expect_eq "native run" "bad-pointer = EFAULT
prot-none = EFAULT
across-pages = ENOENT
into-unmapped = EFAULT
nul-at-page-end = ENOENT" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/efault" /redirect-virtual/e/f
  expect_ok "efault under redirect, --mode $mode"
  expect_eq "unreadable strings under redirect, --mode $mode" "bad-pointer = EFAULT
prot-none = EFAULT
across-pages = real f
into-unmapped = EFAULT
nul-at-page-end = real f" "$OUT"
done
echo PASS
