# AF_UNIX socket paths under --backend inproc, as under ptrace (unix-sockets.sh, without its
# --log checks): bind, connect, sendto and sendmsg's msg_name rewritten by rules naming them, a
# relative sun_path resolved against the working directory, an abstract address left alone, and
# a rewrite that does not fit in sun_path failing with ENAMETOOLONG. The socket files appear
# where the rules send them, never in the program's own directories.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$(dirname "$0")/lib/unix_sockets.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

unix_socket_rules

rd --backend inproc --rules r.toml python3 "$SRCDIR/tests/integration/py/unix_sockets.py" \
  /redirect-virtual/sock "$WORK/cwd"
expect_ok "python sockets under --backend inproc"
expect_eq "python sockets under --backend inproc" "stream: stream hello
getsockname is the real path: True
dgram: by sendto + by sendmsg
relative bound: True
abstract untouched: True
toolong: ENAMETOOLONG" "$OUT"
for s in stream dgram relative.sock; do
  [[ -S real/$s ]] || fail "no socket real/$s"
done
[[ ! -e cwd/relative.sock ]] || fail "the relative socket was bound in cwd/"
echo PASS
