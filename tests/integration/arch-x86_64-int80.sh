# A 64-bit program making an i386 syscall with `int $0x80` (openat as number 295, arch
# AUDIT_ARCH_I386 for seccomp): redirect either rewrites it, or fails it with an errno and a
# message; it must never run it unrewritten. Skips where the kernel has no IA32 emulation.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

echo "original" >orig.txt
echo "rewritten" >new.txt
cat >r.toml <<'TOML'
[[rule]]
name = "orig-to-new"
syscalls = ["openat"]
match = '^orig\.txt$'
replace = 'new.txt'
TOML

run "$TRACEES/int80_x86_64" orig.txt
[[ $STATUS == 0 && $OUT == "openat = original" ]] ||
  skip "int \$0x80 does not work here (status $STATUS, output '$OUT')"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/int80_x86_64" orig.txt
  case "$STATUS:$OUT" in
    "0:openat = rewritten") ;;
    "0:openat = original") fail "--mode $mode: the i386 openat ran unrewritten" ;;
    "0:openat = E"*) [[ -n $ERR ]] || fail "--mode $mode: i386 openat failed ($OUT) without a message" ;;
    125:*) [[ -n $ERR ]] || fail "--mode $mode: refused without a message" ;;
    *) fail "--mode $mode: status $STATUS, output '$OUT', stderr '$ERR'" ;;
  esac
done
echo PASS
