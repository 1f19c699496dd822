"""AF_UNIX sockets through rewritten paths: a stream server and client (bind, connect), a
datagram socket reached with sendto and sendmsg, a relative path, an abstract address (no
path: untouched), and a rewrite too long for sun_path (ENAMETOOLONG). Prints one line per
check; the driver compares them. Usage: unix_sockets.py VIRTUAL_DIR CWD"""
import errno
import os
import socket
import sys

virt, cwd = sys.argv[1], sys.argv[2]

srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(virt + "/stream")
srv.listen(1)
cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
cli.connect(virt + "/stream")
conn, _ = srv.accept()
cli.sendall(b"stream hello")
print("stream:", conn.recv(64).decode())
# What the kernel stored, not what the program passed (documented).
print("getsockname is the real path:", not srv.getsockname().startswith(virt))

dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
dgram.bind(virt + "/dgram")
out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
out.sendto(b"by sendto", virt + "/dgram")
out.sendmsg([b"by sendmsg"], [], 0, virt + "/dgram")
print("dgram:", dgram.recv(64).decode(), "+", dgram.recv(64).decode())

os.chdir(cwd)
rel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
rel.bind("relative.sock")
print("relative bound:", rel.getsockname() != "relative.sock")

abstract = "\0" + virt + "/abstract"
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
a.bind(abstract)
a.listen(1)
b = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
b.connect(abstract)
print("abstract untouched:", a.getsockname() == abstract.encode())

try:
    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(virt + "/toolong")
    print("toolong: bound")
except OSError as e:
    print("toolong:", errno.errorcode.get(e.errno, e.errno))
