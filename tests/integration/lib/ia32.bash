# What the i386 tests ask first: can this x86_64 kernel run i386 code at all? Without IA32
# emulation (CONFIG_IA32_EMULATION off, or ia32_emulation=0 on the command line of a 6.7+
# kernel) it cannot: the execve of an i386 program fails with ENOEXEC, and `int $0x80` from a
# 64-bit program faults (no gate 0x80 in the IDT: SIGSEGV). A test learns it by trying, never
# from the kind of host it usually runs on, and skips (77) saying so. Where the harness declared
# the kernel (tests/vm: kernel_fact i386 or no-i386) the try must agree with the declaration.
# The execve is fsops's own (`fsops exec PROG ARGS`), not a shell's or timeout's: execvp runs a
# file that fails with ENOEXEC as a shell script, so they report the shell's syntax error.
# Sourced after lib/common.bash.

# ia32_check HOW: call right after run() of an i386 probe, HOW being "exec" (`fsops exec` of an
# i386 program) or "int80" (a 64-bit program making an int $0x80 call). Skips when the probe
# shows the kernel refusing i386 code, fails when that contradicts the harness's declaration,
# and returns (whatever else the probe did) when the kernel ran it.
ia32_check() {
  local refused=
  case $1 in
    exec)
      [[ $STATUS == 1 && $OUT == "exec "*" = ENOEXEC" ]] &&
        refused="the execve of an i386 program fails with ENOEXEC"
      ;;
    int80) [[ $STATUS == $((128 + 11)) ]] && refused="int \$0x80 dies of SIGSEGV" ;;
    *) fail "ia32_check: unknown probe '$1'" ;;
  esac
  if [[ -n $refused ]]; then
    ! kernel_fact i386 || fail "the kernel is declared with IA32 emulation, yet $refused"
    skip "this kernel has no IA32 emulation (CONFIG_IA32_EMULATION off or ia32_emulation=0): $refused"
  fi
  ! kernel_fact no-i386 ||
    fail "the kernel is declared without IA32 emulation, yet i386 code ran (status $STATUS: $OUT $ERR)"
}
