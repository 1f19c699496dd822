# redirect started with stdin or stdout closed: its own descriptors (pipes, log file) must not
# take fds 0-2 and reach the program, which sees exactly the descriptors it would natively.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
probe='ls /proc/self/fd >&2'

native=$(sh -c "$probe" 2>&1 <&- >&-)
traced=$(timeout 30 "$REDIRECT" --rules r.toml sh -c "$probe" 2>&1 <&- >&-) || true
expect_eq "fds with stdin and stdout closed" "$native" "$traced"

native=$(sh -c "$probe" 2>&1 <&-)
traced=$(timeout 30 "$REDIRECT" --log log.txt --rules r.toml sh -c "$probe" 2>&1 <&-) || true
expect_eq "fds with stdin closed, --log FILE" "$native" "$traced"
echo PASS
