# AF_UNIX socket paths are paths: bind, connect, sendto and sendmsg's msg_name are rewritten by
# rules naming them (here the %net class, and bind by name), a relative sun_path is resolved
# against the working directory like any relative path, an abstract address is left alone, and
# a rewrite that does not fit in sun_path (108 bytes) fails with ENAMETOOLONG and a --log line.
# The socket files must appear where the rules send them. Before, socket addresses were never
# rewritten: the first bind failed with ENOENT.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/unix_sockets.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

unix_socket_rules

for mode in seccomp ptrace; do
  rm -rf real/* log
  rd --mode $mode --log log --rules r.toml python3 "$SRCDIR/tests/integration/py/unix_sockets.py" \
    /redirect-virtual/sock "$WORK/cwd"
  expect_ok "python sockets, --mode $mode"
  expect_eq "python sockets, --mode $mode" "stream: stream hello
getsockname is the real path: True
dgram: by sendto + by sendmsg
relative bound: True
abstract untouched: True
toolong: ENAMETOOLONG" "$OUT"
  for s in stream dgram relative.sock; do
    [[ -S real/$s ]] || fail "no socket real/$s"
  done
  [[ ! -e cwd/relative.sock ]] || fail "the relative socket was bound in cwd/"
  grep -q 'sendmsg\[1\] rewrite "/redirect-virtual/sock/dgram"' log || fail "sendmsg not logged: $(cat log)"
  grep -q 'sendto\[4\] rewrite "/redirect-virtual/sock/dgram"' log || fail "sendto not logged: $(cat log)"
  grep -q "sun_path holds 108: the call fails with ENAMETOOLONG" log ||
    fail "the too-long rewrite is not logged: $(cat log)"
  grep -q abstract log && fail "the abstract address was looked at: $(cat log)"
done
echo PASS
