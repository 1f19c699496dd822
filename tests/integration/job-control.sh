# Job control in an interactive shell on a terminal, as a user types it: ^Z stops the program
# run under redirect (it stays stopped: its counter does not move) and the shell reports the
# job stopped; `fg` resumes it; ^C then ends it and the shell sees status 130; ^C to a program
# that ignores SIGINT leaves it (and redirect) running; all exactly as without redirect.
# Driven through a pseudo-terminal by python3's pty module.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "no python3 to drive a pseudo-terminal"

seed_rules r.toml
cat >drive.py <<'PY'
import os, pty, select, sys, time

mode, redirect, spin = sys.argv[1:4]
cmd = f"'{spin}' pids count" if mode == "native" else f"'{redirect}' --rules r.toml '{spin}' pids count"
for f in ("pids", "pids.count"):
    if os.path.exists(f):
        os.unlink(f)

pid, fd = pty.fork()
if pid == 0:
    env = dict(os.environ, PS1="PROMPT$ ", TERM="dumb")
    os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)

seen = b""
def expect(what, timeout=10):
    global seen
    end = time.time() + timeout
    while what.encode() not in seen:
        left = end - time.time()
        if left <= 0:
            sys.exit(f"FAIL: {mode}: timed out waiting for {what!r}; terminal so far: {seen[-400:]!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    seen = seen[seen.index(what.encode()) + len(what):]

def counter():
    return int(open("pids.count").read())

def state(p):
    try:
        return open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"

def wait_file(path):
    for _ in range(200):
        if os.path.exists(path):
            return
        time.sleep(0.05)
    sys.exit(f"FAIL: {mode}: {path} never appeared; terminal: {seen[-400:]!r}")

expect("PROMPT$ ")
os.write(fd, cmd.encode() + b"\n")
wait_file("pids.count")
prog = int(open("pids").read())
time.sleep(0.2)
os.write(fd, b"\x1a")
expect("Stopped")
expect("PROMPT$ ")
time.sleep(0.2)
c1 = counter(); time.sleep(0.4); c2 = counter()
if c1 != c2 or state(prog) not in ("T", "t"):
    sys.exit(f"FAIL: {mode}: after ^Z the program runs on ({c1} -> {c2}, state {state(prog)})")
os.write(fd, b"fg\n")
for _ in range(100):
    time.sleep(0.05)
    c3 = counter()
    if c3 > c2:
        break
else:
    sys.exit(f"FAIL: {mode}: after fg the program does not run ({c2} -> {c3}, state {state(prog)})")
os.write(fd, b"\x03")
expect("PROMPT$ ")
# The quotes keep the terminal's echo of the command line from matching.
os.write(fd, b'echo "st""atus=$?"\n')
expect("status=130")
expect("PROMPT$ ")

# ^C while the program ignores SIGINT: it goes on (redirect must not die of the ^C either,
# which would kill the program through EXITKILL) and ends normally.
prefix = "" if mode == "native" else f"'{redirect}' --rules r.toml "
# The ^C goes only once the trap is set ("re""ady"), however slowly redirect starts (a
# sanitizer build on a loaded machine takes seconds).
os.write(fd, (prefix + "sh -c 'trap \"\" INT; echo re\"\"ady; sleep 1; echo sur\"\"vived'\n").encode())
expect("ready")
time.sleep(0.2)
os.write(fd, b"\x03")
expect("survived")
expect("PROMPT$ ")
os.write(fd, b'echo "st""atus=$?"\n')
expect("status=0")
os.write(fd, b"exit\n")
print("ok")
PY

run python3 drive.py native "$REDIRECT" "$TRACEES/spin"
expect_ok "job control natively (the driver itself)"
run python3 drive.py redirect "$REDIRECT" "$TRACEES/spin"
expect_ok "job control under redirect"
echo PASS
