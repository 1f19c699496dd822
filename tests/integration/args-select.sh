# `args` limits a rule to some argument indexes: symlinkat with args = [2] rewrites the link's
# name only, leaving its target as written; without `args`, both (the target counts as a path).
source "$(dirname "$0")/lib/common.bash"

mkdir links
cat >r.toml <<'TOML'
[[rule]]
name = "link-name-only"
syscalls = ["symlinkat"]
args = [2]
match = '^/redirect-virtual/(.*)$'
replace = 'links/$1'

[[rule]]
name = "both"
syscalls = ["symlinkat"]
match = '^/redirect-virtual-both/(.*)$'
replace = 'links/both-$1'
TOML

rd --rules r.toml "$TRACEES/fsops" symlinkat /redirect-virtual/target /redirect-virtual/l1 \
  symlinkat /redirect-virtual-both/target /redirect-virtual-both/l2
expect_ok "fsops under redirect"
expect_eq "symlinkat results" "symlinkat /redirect-virtual/target /redirect-virtual/l1 = ok
symlinkat /redirect-virtual-both/target /redirect-virtual-both/l2 = ok" "$OUT"
expect_eq "target of links/l1 (args = [2]: not rewritten)" "/redirect-virtual/target" \
  "$(readlink links/l1)"
expect_eq "target of links/both-l2 (every path argument)" "links/both-target" \
  "$(readlink links/both-l2)"
echo PASS
