"""Makes one syscall of a table of cases, for explain-agrees-with-run.sh: the run's --log
line for it is compared with what `redirect explain` says about the same string. Usage:
explain_run_cases.py CASE WORKDIR. The call's own result does not matter here (some cases are
meant to fail); only redirect's decision does, so errors are printed, not raised."""
import os
import socket
import sys

case, work = sys.argv[1], sys.argv[2]
host = os.path.join(work, "host")


def attempt(call):
    try:
        call()
        print("ok")
    except OSError as e:
        print("errno", e.errno)


def open_in(directory, name, dir_fd=False):
    if dir_fd:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        attempt(lambda: os.close(os.open(name, os.O_RDONLY, dir_fd=fd)))
    else:
        os.chdir(directory)
        attempt(lambda: os.close(os.open(name, os.O_RDONLY)))


def bind_in(directory, name):
    os.chdir(directory)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    attempt(lambda: s.bind(name))


cases = {
    "relative": lambda: open_in(os.path.join(host, "data"), "a.txt"),
    "dirfd": lambda: open_in(host, "data/sub/b.txt", dir_fd=True),
    "absolute": lambda: open_in("/", os.path.join(host, "data", "a.txt")),
    "socket": lambda: bind_in(os.path.join(host, "run"), "app.sock"),
    "socket-too-long": lambda: bind_in(os.path.join(host, "run"), "long.sock"),
    "deny": lambda: open_in(host, "secret/key"),
    "too-long": lambda: open_in(os.path.join(host, "long"), "x" * 200),
    "no-rule": lambda: open_in(host, "other.txt"),
    "dotdot-after-link": lambda: open_in(host, "data/hop/../a.txt"),
    "absolute-link": lambda: open_in("/", os.path.join(host, "data", "current")),
    "cwd-in-bundle": lambda: open_in(os.path.join(work, "bundle", "data"), "notes.txt"),
}
cases[case]()
