# Rewrites made on small or nearly exhausted stacks, each with a PROT_NONE guard page right
# below the stack: a SIGUSR1 handler on a sigaltstack (64 KiB, and sized to leave 256 bytes
# below the handler's frame), a thread with a 16 KiB stack, and a thread that recursed to
# within GAP bytes of the bottom of its stack. For a short and a ~3000-byte rewrite, redirect
# must either place the new path inside the stack and open the rewritten file, or fail the call
# and say so on stderr and in --log; the guard page must stay all zero either way (the tracee
# checks it). A silent EFAULT, the original path passing through, or a touched guard are bugs.
source "$(dirname "$0")/lib/common.bash"

short_long_rules r.toml

cases=("altstack roomy" "altstack tight" "thread16k" "bottom 4000" "bottom 1000" "bottom 300"
  "bottom 150")
for c in "${cases[@]}"; do
  run "$TRACEES/harden_stack" $c "$WORK/$far"
  expect_ok "native harden_stack $c"
  expect_eq "native $c" "$c: open = long rewritten; guard clean" "$OUT"
done

failures=()
for which in short long; do
  for c in "${cases[@]}"; do
    rm -f log
    rd --log log --rules r.toml "$TRACEES/harden_stack" $c /redirect-virtual/$which
    expect_ok "harden_stack $c /redirect-virtual/$which under redirect"
    case $OUT in
      "$c: open = $which rewritten; guard clean") ;;
      "$c: open = E"*"; guard clean")
        # Failing is allowed, silently is not.
        [[ $ERR == *"cannot write the rewritten path"* ]] ||
          failures+=("$c, $which rewrite: failed without a message on stderr: $OUT")
        grep -q "error: cannot write the rewritten path" log ||
          failures+=("$c, $which rewrite: failed without a line in --log: $OUT") ;;
      *) failures+=("$c, $which rewrite: $OUT") ;;
    esac
  done
done
if ((${#failures[@]})); then
  printf '  %s\n' "${failures[@]}" >&2
  fail "${#failures[@]} stack case(s) went wrong"
fi
echo PASS
