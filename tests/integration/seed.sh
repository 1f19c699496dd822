# The seed scenario: `redirect --rules seed.toml cat TWO.txt` prints ONE.txt's content, while
# cat alone prints TWO.txt's (cat opens its argument with openat on current glibc).
source "$(dirname "$0")/lib/common.bash"

seed_files
seed_rules seed.toml

run cat TWO.txt
expect_ok "native cat"
expect_eq "native cat TWO.txt" "This is TWO.txt" "$OUT"

rd --rules seed.toml cat TWO.txt
expect_ok "redirect cat"
expect_eq "cat TWO.txt under redirect" "This is ONE.txt" "$OUT"
expect_eq "redirect's stderr" "" "$ERR"

# Through a directory prefix, which the seed rule keeps as \1.
mkdir sub
seed_files
mv ONE.txt TWO.txt sub/
rd --rules seed.toml cat sub/TWO.txt
expect_ok "redirect cat sub/"
expect_eq "cat sub/TWO.txt under redirect" "This is ONE.txt" "$OUT"

# A path the rule does not match is untouched.
echo "other" >THREE.txt
rd --rules seed.toml cat THREE.txt
expect_ok "redirect cat THREE.txt"
expect_eq "unmatched path" "other" "$OUT"
echo PASS
