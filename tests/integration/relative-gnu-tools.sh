# The GNU tools packagers' programs run reach a redirected directory through relative names and
# directory fds (mkdir -p walks with chdir, install -D and tar with mkdirat/openat on dirfds, cp
# -r, mv, find and rm -r with fts), and every file lands in the redirected tree: nothing is
# created on the host. Also `cd DIR && cmd` in a shell. Both modes.
source "$(dirname "$0")/lib/common.bash"
for tool in mkdir install cp mv find tar rm sh; do
  command -v $tool >/dev/null || skip "$tool is not installed"
done

app_rules r.toml
mkdir -p src/sub && echo "f" >src/sub/f && echo "g" >src/g
tar -cf x.tar -C src .
app=$WORK/host/app

# tree DIR: the files and directories below DIR, sorted, one per line.
tree() { (cd "$1" && find . -mindepth 1 | sort); }

for mode in seccomp ptrace; do
  rm -rf host snap && mkdir host snap
  r() { rd --mode $mode --rules r.toml "$@"; expect_ok "$*, --mode $mode"; }
  r mkdir -p "$app/cache/thumbs"
  r install -D src/g "$app/conf/app.conf"
  r cp -r src "$app/copied"
  r mv "$app/copied" "$app/moved"
  r find "$app" -name f
  expect_eq "find prints the names it was given, --mode $mode" "$app/moved/sub/f" "$OUT"
  r mkdir -p "$app/untar"
  r tar -x -C "$app/untar" -f x.tar
  r sh -c "cd '$WORK/host' && cat app/conf/app.conf && echo made >app/made"
  expect_eq "cd then relative names read the bundle, --mode $mode" "g" "$OUT"
  expect_eq "tree after the writes, --mode $mode" "./cache
./cache/thumbs
./conf
./conf/app.conf
./made
./moved
./moved/g
./moved/sub
./moved/sub/f
./untar
./untar/g
./untar/sub
./untar/sub/f" "$(tree snap)"
  r find "$app/untar" -delete
  r rm -r "$app/moved"
  expect_eq "tree after find -delete and rm -r, --mode $mode" "./cache
./cache/thumbs
./conf
./conf/app.conf
./made" "$(tree snap)"
  [[ ! -e host/app ]] || fail "files were written on the host, --mode $mode: $(tree host)"
done
echo "relative-gnu-tools: ok"
