# An identity rewrite of every path argument ('^(.*)$' -> '$1' on %file, so every path is read,
# matched, substituted and written to the tracee's stack) under real programs: python3, gcc
# (compile and link), tar (create and list) and ls -la. Output and produced files must equal the
# native run's.
source "$(dirname "$0")/lib/common.bash"

cat >r.toml <<'TOML'
[[rule]]
name = "identity"
syscalls = ["%file"]
match = '^(.*)$'
replace = '$1'
TOML

mkdir -p tree/sub native traced
printf 'alpha\n' >tree/a.txt
printf 'beta\n' >tree/sub/b.txt
ln -s a.txt tree/link
touch -d '2001-02-03 04:05:06' tree/a.txt tree/sub/b.txt tree/sub tree
cat >hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello from gcc\n"); return 0; }
C
cp hello.c native/ && cp hello.c traced/

# same_as_native WHAT CMD...: CMD natively and under redirect print the same and both succeed.
same_as_native() {
  local what=$1
  shift
  run "$@"
  expect_ok "native $what"
  local native_out=$OUT native_err=$ERR
  rd --rules r.toml "$@"
  expect_ok "$what under redirect"
  expect_eq "$what: stdout under the identity rewrite" "$native_out" "$OUT"
  expect_eq "$what: stderr under the identity rewrite" "$native_err" "$ERR"
}

export LC_ALL=C
same_as_native "ls -la" ls -la tree tree/sub
same_as_native "python3" python3 -c '
import os, json, subprocess
print(json.dumps(sorted(os.listdir("tree"))))
print(open("tree/sub/b.txt").read().strip(), os.path.realpath("tree/link"))
print(subprocess.run(["cat", "tree/a.txt"], capture_output=True, text=True).stdout.strip())'

if command -v gcc >/dev/null; then
  (cd native && gcc -O1 -c hello.c -o hello.o && gcc hello.o -o hello) || fail "native gcc"
  cd traced
  rd --rules ../r.toml gcc -O1 -c hello.c -o hello.o
  expect_ok "gcc -c under redirect"
  rd --rules ../r.toml gcc hello.o -o hello
  expect_ok "gcc (link) under redirect"
  cd ..
  cmp native/hello.o traced/hello.o || fail "gcc -c under redirect produced a different object"
  expect_eq "program linked under redirect" "hello from gcc" "$(traced/hello)"
fi

tar_create=(tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf)
"${tar_create[@]}" native.tar tree || fail "native tar"
rd --rules r.toml "${tar_create[@]}" traced.tar tree
expect_ok "tar -c under redirect"
cmp native.tar traced.tar || fail "tar -c under redirect produced a different archive"
same_as_native "tar -tvf" tar -tvf native.tar
echo PASS
