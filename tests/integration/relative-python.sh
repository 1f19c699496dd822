# Python's directory-fd API reaches a redirected directory: os.makedirs, os.open(dir_fd=),
# os.mkdir(dir_fd=), os.rename(src_dir_fd=, dst_dir_fd=), os.stat(dir_fd=), os.fwalk (which
# walks with openat on dirfds) and os.chdir followed by relative names. Nothing lands on the
# host.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

app_rules r.toml
mkdir host snap
cat >walk.py <<'PY'
import os, sys
app = sys.argv[1]
os.makedirs(app + '/py/a/b', exist_ok=True)
d = os.open(app + '/py', os.O_RDONLY | os.O_DIRECTORY)
fd = os.open('x', os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=d)
os.write(fd, b'via dir_fd\n')
os.close(fd)
os.mkdir('c', dir_fd=d)
os.rename('x', 'c/y', src_dir_fd=d, dst_dir_fd=d)
for root, dirs, files, _ in sorted(os.fwalk(app + '/py')):
    print(root[len(app):], sorted(dirs), sorted(files))
print('size', os.stat('c/y', dir_fd=d).st_size)
parent = os.path.dirname(app)
os.chdir(parent)
print(open('app/py/c/y').read().strip())
PY
rd --rules r.toml python3 walk.py "$WORK/host/app"
expect_ok "python3 walk.py"
expect_eq "the dir_fd calls and fwalk see the bundle" "/py ['a', 'c'] []
/py/a ['b'] []
/py/a/b [] []
/py/c [] ['y']
size 11
via dir_fd" "$OUT"
[[ -f snap/py/c/y ]] || fail "snap/py/c/y is missing"
[[ ! -e host/app ]] || fail "files were written on the host: $(find host)"
echo "relative-python: ok"
