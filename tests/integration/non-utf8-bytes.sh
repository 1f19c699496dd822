# Paths are bytes, not text: non-UTF-8 bytes in a path are matched as bytes (a pattern's \xe9
# is the byte 0xe9, '.' is one byte even inside a UTF-8 sequence), carried through captures
# unchanged, and never make a rule fail to match or a path be rejected (PCRE2 runs without UTF
# mode). An identity rewrite of a path full of invalid UTF-8 opens the very same file.
source "$(dirname "$0")/lib/common.bash"

mkdir real
printf 'ff fe file\n' >real/$'\xff\xfe-x'
printf 'lone byte\n' >real/one-$'\xc3'
printf 'two bytes\n' >real/one-$'\xc3\xa9'
printf 'raw\n' >$'raw-\x80\xff\xc0\xaf'
{
  echo 'paths = "as-passed"  # the raw-* rule names a relative path as written'
  echo '[[rule]]'
  echo 'name = "latin1-dir"'
  echo 'syscalls = ["openat"]'
  echo "match = '^/redirect-virtual/b/caf\\xe9/(.*)\$'"
  echo "replace = '$WORK/real/\$1'"
  echo '[[rule]]'
  echo 'name = "one-byte"'
  echo 'syscalls = ["openat"]'
  echo "match = '^/redirect-virtual/one/(.)\$'"
  echo "replace = '$WORK/real/one-\$1'"
  echo '[[rule]]'
  echo 'name = "identity"'
  echo 'syscalls = ["openat"]'
  echo "match = '^(raw-.*)\$'"
  echo "replace = '\$1'"
} >r.toml

latin1=/redirect-virtual/b/caf$'\xe9'/$'\xff\xfe-x'
utf8=/redirect-virtual/b/café/$'\xff\xfe-x'  # é as UTF-8 (c3 a9) is not the byte e9
lone=/redirect-virtual/one/$'\xc3'
two=/redirect-virtual/one/é
raw=raw-$'\x80\xff\xc0\xaf'
args=(open "$latin1" open "$utf8" open "$lone" open "$two" open "$raw")

run "$TRACEES/fsops" "${args[@]}"
expect_ok "native fsops"
expect_eq "native run" "open $latin1 = ENOENT
open $utf8 = ENOENT
open $lone = ENOENT
open $two = ENOENT
open $raw = raw" "$OUT"

rd --log log --rules r.toml "$TRACEES/fsops" "${args[@]}"
expect_ok "fsops under redirect"
expect_eq "bytes matched as bytes" "open $latin1 = ff fe file
open $utf8 = ENOENT
open $lone = lone byte
open $two = ENOENT
open $raw = raw" "$OUT"
(($(grep -c "rule 'identity'" log) == 1)) || fail "the identity rule did not decide once: $(cat log)"
echo PASS
