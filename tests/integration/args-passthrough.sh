# Option parsing stops at the program: `redirect -r r.toml cat -n f` passes -n to cat, and words
# after PROG that look like redirect's own options belong to PROG too; `--` ends redirect's
# options explicitly.
source "$(dirname "$0")/lib/common.bash"

seed_files
seed_rules r.toml

rd -r r.toml cat -n TWO.txt
expect_ok "redirect -r r.toml cat -n TWO.txt"
expect_eq "cat -n under redirect" "$(printf '     1\tThis is ONE.txt')" "$OUT"

rd -r r.toml -- cat -n TWO.txt
expect_ok "redirect -r r.toml -- cat -n TWO.txt"
expect_eq "cat -n after --" "$(printf '     1\tThis is ONE.txt')" "$OUT"

rd --rules r.toml echo --rules x --log - -v --help -- y
expect_ok "echo with redirect-like options"
expect_eq "program's own options" "--rules x --log - -v --help -- y" "$OUT"
expect_eq "stderr" "" "$ERR"
echo PASS
