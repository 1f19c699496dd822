# Rules are tried in file order and the first match decides: an allow before a rewrite or a
# deny keeps the path as it is; a deny skips the syscall (the file is still there afterwards)
# and returns exactly its errno (ENOENT when named, EACCES by default); a rewritten path is not
# matched again by later rules.
source "$(dirname "$0")/lib/common.bash"

mkdir -p target sub
echo "kept" >kept.txt
echo "moved" >target/m.txt
echo "reached" >target/secret-enoent
echo "enoent file" >secret-enoent
echo "eacces file" >secret-eacces
echo "allowed" >allowed-secret-eacces

cat >r.toml <<TOML
[[rule]]
name = "allow-allowed"
syscalls = ["%file"]
match = '(^|/)allowed-'
action = "allow"

[[rule]]
name = "keep"
syscalls = ["%file"]
match = '^kept\.txt$'
action = "allow"

[[rule]]
name = "move"
syscalls = ["%file"]
match = '^(?:/redirect-virtual/moved/(?=.)|(?=kept\.txt$))(.*)$'
replace = '$WORK/target/\$1'

[[rule]]
name = "deny-enoent"
syscalls = ["%file"]
match = '(^|/)secret-enoent$'
action = "deny"
errno = "ENOENT"

[[rule]]
name = "deny-default"
syscalls = ["%file"]
match = '(^|/)secret-eacces$'
action = "deny"
TOML

ops=(open kept.txt open /redirect-virtual/moved/m.txt open /redirect-virtual/moved/secret-enoent
  open secret-enoent open secret-eacces open allowed-secret-eacces
  unlink secret-eacces mkdir sub/secret-enoent stat secret-enoent)

run "$TRACEES/fsops" "${ops[@]}"
expect_ok "native fsops"
expect_eq "native run" "open kept.txt = kept
open /redirect-virtual/moved/m.txt = ENOENT
open /redirect-virtual/moved/secret-enoent = ENOENT
open secret-enoent = enoent file
open secret-eacces = eacces file
open allowed-secret-eacces = allowed
unlink secret-eacces = ok
mkdir sub/secret-enoent = ok
stat secret-enoent = size 12" "$OUT"
echo "eacces file" >secret-eacces
rmdir sub/secret-enoent

rd --rules r.toml "$TRACEES/fsops" "${ops[@]}"
expect_ok "fsops under redirect"
expect_eq "first match decides" "open kept.txt = kept
open /redirect-virtual/moved/m.txt = moved
open /redirect-virtual/moved/secret-enoent = reached
open secret-enoent = ENOENT
open secret-eacces = EACCES
open allowed-secret-eacces = allowed
unlink secret-eacces = EACCES
mkdir sub/secret-enoent = ENOENT
stat secret-enoent = ENOENT" "$OUT"
[[ -f secret-eacces ]] || fail "denied unlinkat ran: secret-eacces is gone"
[[ ! -e sub/secret-enoent ]] || fail "denied mkdirat ran: sub/secret-enoent exists"
echo PASS
