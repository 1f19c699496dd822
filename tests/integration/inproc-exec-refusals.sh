# The in-process launcher refuses what it cannot load with one line naming the file and why,
# exit status 126 (127 when it does not exist), and runs nothing: a dynamic program (ld.so's,
# through LD_AUDIT), a truncated file, a file that is not ELF, a non-executable file, and
# images that would land on address 0, overlap themselves, were built for another machine or
# need an executable stack, and a stack limit too small for the launcher and the program.
# Each bad image is a copy of a static tracee with one header field changed.
source "$(dirname "$0")/lib/common.bash"
[[ ${REDIRECT_SANITIZED:-0} == 0 ]] || skip "a sanitizer build has no in-process backend or launcher"
: "${BUILDDIR:?BUILDDIR must name the build directory}"
[[ $(uname -m) == x86_64 ]] || skip "the in-process backend and its launcher are x86_64 only"
LAUNCHER=$BUILDDIR/redirect-inproc-exec
[[ -x $LAUNCHER ]] || fail "no launcher at $LAUNCHER"
command -v python3 >/dev/null || skip "python3 is needed to patch ELF headers"
good=$TRACEES/startup_report-static
[[ -x $good ]] || skip "startup_report-static not built (libc6-dev's libc.a is missing)"

# refused WHAT STATUS EXPECTED_STDERR_GLOB PROG ARGS...: the launcher exits STATUS, says
# EXPECTED on stderr and the program printed nothing.
refused() {
  local what=$1 status=$2 glob=$3
  shift 3
  run "$LAUNCHER" "$@"
  expect_status "$what" "$status"
  # shellcheck disable=SC2053
  [[ $ERR == $glob ]] || fail "$what: stderr: $ERR"
  [[ -z $OUT ]] || fail "$what: the program ran: $OUT"
}

# patch OUT FIELD VALUE: a copy of the good tracee with one field of its ELF header or first
# two PT_LOADs changed (struct offsets from elf.h's Elf64_Ehdr and Elf64_Phdr).
patch() {
  python3 - "$good" "$1" "$2" "$3" <<'PY'
import struct, sys
src, out, field, value = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 0)
b = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', b, 32)
loads = [phoff + 56 * i for i in range(struct.unpack_from('<H', b, 56)[0])
         if struct.unpack_from('<I', b, phoff + 56 * i)[0] == 1]
if field == 'e_machine':
    struct.pack_into('<H', b, 18, value)
elif field == 'load0_vaddr':     # p_vaddr and p_paddr of the first PT_LOAD
    struct.pack_into('<QQ', b, loads[0] + 16, value, value)
elif field == 'exec_stack':       # PF_X added to PT_GNU_STACK (0x6474e551)
    gnu = [phoff + 56 * i for i in range(struct.unpack_from('<H', b, 56)[0])
           if struct.unpack_from('<I', b, phoff + 56 * i)[0] == 0x6474e551]
    struct.pack_into('<I', b, gnu[0] + 4, 7)
elif field == 'load1_onto_load0':  # the second PT_LOAD at the first one's place
    off, vaddr = struct.unpack_from('<QQ', b, loads[0] + 8)
    struct.pack_into('<QQQ', b, loads[1] + 8, off, vaddr, vaddr)
open(out, 'wb').write(b)
PY
  chmod +x "$1"
}

refused "a dynamic program" 126 \
  "redirect-inproc-exec: $TRACEES/exit_with: a dynamic program (its interpreter is /*): ld.so loads it, not this launcher" \
  "$TRACEES/exit_with" exit 0

head -c 40 "$good" >short && chmod +x short
refused "a file shorter than an ELF header" 126 \
  "redirect-inproc-exec: ./short: truncated: 40 bytes, shorter than an ELF header" ./short
head -c 5000 "$good" >truncated && chmod +x truncated
refused "a truncated program" 126 \
  "redirect-inproc-exec: ./truncated: truncated: the segment at 0x* needs bytes * to *, the file has 5000" ./truncated

printf '#!/bin/sh\necho ran\n' >script && chmod +x script
refused "a script" 126 "redirect-inproc-exec: ./script: not an ELF file" ./script
cp "$good" noexec && chmod -x noexec
refused "a file without execute permission" 126 "redirect-inproc-exec: ./noexec: Permission denied" ./noexec
refused "a directory" 126 "redirect-inproc-exec: .: Permission denied" .
refused "a missing program" 127 "redirect-inproc-exec: missing: No such file or directory" missing

patch at0 load0_vaddr 0
refused "a segment at address 0" 126 \
  "redirect-inproc-exec: ./at0: a segment at address 0x0, in the first page, which is never mapped" ./at0
patch overlap load1_onto_load0 0
refused "overlapping segments" 126 "redirect-inproc-exec: ./overlap: overlapping segments: 0x*-0x* and 0x*-0x*" ./overlap
patch arm64 e_machine 183
refused "another machine" 126 \
  "redirect-inproc-exec: ./arm64: built for ELF machine 183, this launcher runs machine *" ./arm64

patch execstack exec_stack 0
refused "an executable stack" 126 \
  "redirect-inproc-exec: ./execstack: it needs an executable stack (PT_GNU_STACK with PF_X), which this launcher does not give" ./execstack

# The initial stack goes below the launcher's own frames on the same [stack]: a stack limit too
# small for both is refused before the runtime is armed, not a SIGSEGV after it.
run bash -c 'ulimit -s 16 && exec "$0" "$@"' "$LAUNCHER" "$good" getppid 0
expect_status "a 16 KiB stack limit" 126
[[ $ERR == "redirect-inproc-exec: $good: the stack limit (ulimit -s) of 16 KiB leaves no room for its initial stack, which the launcher builds below its own ("*" KiB needed)" ]] ||
  fail "a 16 KiB stack limit: $ERR"

refused "no program" 125 "redirect-inproc-exec: usage: *" --
echo PASS
