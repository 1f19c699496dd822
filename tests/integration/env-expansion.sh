# @{NAME} and @{NAME:-default} in a rule expand from redirect's environment when the rules
# load: the value is used literally in replace and quoted in match (a '.' in the value must
# not match any character).
source "$(dirname "$0")/lib/common.bash"

mkdir -p data.dir fallback
echo "from env" >data.dir/f
echo "from default" >fallback/f

cat >r.toml <<'TOML'
[[rule]]
name = "env"
syscalls = ["openat"]
match = '^@{REDIRECT_T_VDIR}/(.*)$'
replace = '@{REDIRECT_T_DATA}/$1'

[[rule]]
name = "default"
syscalls = ["openat"]
match = '^/redirect-virtual/b/(.*)$'
replace = '@{REDIRECT_T_UNSET_FOR_SURE:-fallback}/$1'
TOML

export REDIRECT_T_VDIR=/redirect-virtual/a.b REDIRECT_T_DATA=$WORK/data.dir
unset REDIRECT_T_UNSET_FOR_SURE
rd --rules r.toml "$TRACEES/fsops" open /redirect-virtual/a.b/f open /redirect-virtual/b/f \
  open /redirect-virtual/aXb/f
expect_ok "fsops under redirect"
expect_eq "expanded rules" "open /redirect-virtual/a.b/f = from env
open /redirect-virtual/b/f = from default
open /redirect-virtual/aXb/f = ENOENT" "$OUT"
echo PASS
