# --help of every command starts with one usage line (the form to type), then the one-line
# description, as `redirect --help | head -1` and man-page readers expect.
source "$(dirname "$0")/lib/common.bash"

for cmd in "" lint explain trace; do
  rd $cmd --help
  expect_ok "redirect $cmd --help"
  first=$(head -1 <<<"$OUT")
  [[ $first == "Usage: redirect ${cmd:+$cmd }"* ]] ||
    fail "redirect $cmd --help does not start with its usage line: $first"
done
echo PASS
