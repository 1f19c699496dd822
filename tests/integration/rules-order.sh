# Several --rules files are used in the order given: for each argument the first matching rule
# of the first file decides, later files only see what earlier ones leave unmatched.
source "$(dirname "$0")/lib/common.bash"

echo "from a" >a.txt
echo "from b" >b.txt
echo "only b" >only-b.txt
cat >a.toml <<'TOML'
[[rule]]
name = "a"
syscalls = ["openat"]
match = '^/redirect-virtual/both$'
replace = 'a.txt'
TOML
cat >b.toml <<'TOML'
[[rule]]
name = "b"
syscalls = ["openat"]
match = '^/redirect-virtual/both$'
replace = 'b.txt'

[[rule]]
name = "b-only"
syscalls = ["openat"]
match = '^/redirect-virtual/b-only$'
replace = 'only-b.txt'
TOML

rd -r a.toml -r b.toml "$TRACEES/fsops" open /redirect-virtual/both open /redirect-virtual/b-only
expect_ok "-r a.toml -r b.toml"
expect_eq "a.toml first" "open /redirect-virtual/both = from a
open /redirect-virtual/b-only = only b" "$OUT"

rd --rules b.toml --rules a.toml "$TRACEES/fsops" open /redirect-virtual/both
expect_ok "--rules b.toml --rules a.toml"
expect_eq "b.toml first" "open /redirect-virtual/both = from b" "$OUT"
echo PASS
