# arch-x86_64-m32.sh for a statically linked i386 program (fsops-m32-static): no dynamic
# loader, so the i386 ABI is rewritten from the program's first syscall on. Same expectations,
# same skips (and, in the VM of a kernel that runs i386 programs, no skip).
M32_PROG=fsops-m32-static exec bash "$(dirname "$0")/arch-x86_64-m32.sh"
