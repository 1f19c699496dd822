# `%file` covers AF_UNIX socket paths (bind, connect, sendto, sendmsg): a relocation rule of
# `%file`, the kind --suggest writes, moves a service's socket with its other files. Python's
# multiprocessing forkserver binds its socket in a temporary directory: with TMPDIR moved by a
# %file rule, the directory is made in the bundle and so must the socket be (before, the bind
# went to the host, where the directory does not exist). A datagram server and client reach
# each other through bind, connect, sendto and sendmsg. A sendto with no address is let
# through by the seccomp filter (no stop). Both modes.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"
RUN_TIMEOUT=40

app_rules r.toml
app=$WORK/host/app
cat >mp.py <<'PY'
import multiprocessing as mp
def square(x):
    return x * x
if __name__ == "__main__":
    mp.set_start_method("forkserver")
    with mp.Pool(2) as pool:
        print(pool.map(square, [1, 2, 3]))
PY
cat >dgram.py <<'PY'
import os, socket, sys
app, sends = sys.argv[1], int(sys.argv[2])
server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
server.bind(app + "/server.sock")
client = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
client.bind(app + "/client.sock")
client.sendto(b"by sendto", app + "/server.sock")
client.sendmsg([b" + by sendmsg"], [], 0, app + "/server.sock")
client.connect(app + "/server.sock")
got = server.recv(100) + server.recv(100)
received = 0
for _ in range(sends):  # one at a time: a datagram queue holds few (net.unix.max_dgram_qlen)
    client.send(b".")  # sendto(fd, ..., NULL, 0): no address, no path
    received += len(server.recv(100))
print(got.decode(), received)
PY

for mode in seccomp ptrace; do
  rm -rf host snap && mkdir -p host snap
  rd --mode $mode --rules r.toml env TMPDIR="$app" python3 mp.py
  expect_ok "multiprocessing forkserver with TMPDIR in the bundle, --mode $mode"
  expect_eq "the pool's results, --mode $mode" "[1, 4, 9]" "$OUT"
  rd --mode $mode --rules r.toml python3 dgram.py "$app" 50
  expect_ok "datagram sockets, --mode $mode"
  expect_eq "datagrams, --mode $mode" "by sendto + by sendmsg 50" "$OUT"
  [[ -S snap/server.sock && -S snap/client.sock ]] ||
    fail "the sockets are not in the bundle, --mode $mode: $(ls -la snap)"
  [[ ! -e host/app ]] || fail "a socket was made on the host, --mode $mode"
done
# The filter lets address-less sends run without a stop: 200 more of them, no more stops.
seccomp_stops() {
  rm -rf snap && mkdir snap
  rd --mode seccomp --stats --rules r.toml python3 dgram.py "$app" "$1"
  expect_ok "dgram.py $1"
  grep -oE 'stops: [0-9]+ seccomp' <<<"$ERR" | grep -oE '[0-9]+'
}
few=$(seccomp_stops 0) many=$(seccomp_stops 200)
(( many - few < 20 )) || fail "address-less sends stopped: $few seccomp stops for 0, $many for 200"
echo "view-socket-files: ok"
