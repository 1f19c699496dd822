# stdin, stdout and stderr are the program's own: 50 MB through `cat` under redirect, from a file
# and through pipes, come out byte for byte; the program's stderr is passed as is.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
head -c 50000000 /dev/urandom >big
want=$(sha256sum <big)

timeout 60 "$REDIRECT" --rules r.toml cat <big >out.file || fail "redirect cat <big: status $?"
cmp -s big out.file || fail "50 MB from a file through cat under redirect differ: $(cmp big out.file 2>&1)"

# shellcheck disable=SC2002 # stdin must be a pipe here, not the file
got=$(cat big | timeout 60 "$REDIRECT" --rules r.toml cat | sha256sum)
expect_eq "50 MB through a pipe into and out of cat under redirect" "$want" "$got"

rd --rules r.toml sh -c 'echo to-stdout; echo to-stderr >&2; exit 4'
expect_status "sh under redirect" 4
expect_eq "program stdout" "to-stdout" "$OUT"
expect_eq "program stderr" "to-stderr" "$ERR"
echo PASS
