/* The only code from which the in-process backend makes system calls (x86_64). Syscall User
 * Dispatch lets through exactly the calls whose `syscall` instruction lies in the allowed
 * region [redirect_inproc_region_start, redirect_inproc_region_end): this section. Everything
 * else the process does, the program and our own C++ alike, traps to the SIGSYS handler, so
 * the handler and everything it calls reach the kernel only through these entry points.
 * Position independent; no TLS; the only stack used is the caller's.
 */
	.section redirect_inproc_text,"ax",@progbits
	.globl redirect_inproc_region_start
	.hidden redirect_inproc_region_start
redirect_inproc_region_start:
	nop

/* long redirect_inproc_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
	.globl redirect_inproc_syscall6
	.hidden redirect_inproc_syscall6
	.type redirect_inproc_syscall6,@function
redirect_inproc_syscall6:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
	syscall
	ret
	.size redirect_inproc_syscall6, .-redirect_inproc_syscall6

/* long redirect_inproc_int80(long nr, long ebx, long ecx, long edx, long esi, long edi, long ebp)
 * An i386 call (int $0x80) of a 64-bit program, made again as it was: no rules apply to it. */
	.globl redirect_inproc_int80
	.hidden redirect_inproc_int80
	.type redirect_inproc_int80,@function
redirect_inproc_int80:
	push %rbx
	push %rbp
	mov %rdi, %rax
	mov %rsi, %rbx
	mov 24(%rsp), %rbp
	mov %rcx, %r10
	mov %rdx, %rcx
	mov %r10, %rdx
	mov %r8, %rsi
	mov %r9, %rdi
	int $0x80
	pop %rbp
	pop %rbx
	ret
	.size redirect_inproc_int80, .-redirect_inproc_int80

/* long redirect_inproc_syscall_on_sp(long nr, long a0, long a1, long sp): a call made with the
 * stack pointer at `sp`, for calls whose outcome the kernel decides by where the caller's stack
 * is (sigaltstack refuses a change made from the alternate stack). Nothing is pushed at `sp`;
 * the caller blocks every signal around it, so none is delivered there. */
	.globl redirect_inproc_syscall_on_sp
	.hidden redirect_inproc_syscall_on_sp
	.type redirect_inproc_syscall_on_sp,@function
redirect_inproc_syscall_on_sp:
	mov %rsp, %r8
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rsp
	syscall
	mov %r8, %rsp
	ret
	.size redirect_inproc_syscall_on_sp, .-redirect_inproc_syscall_on_sp

/* The sa_restorer of our SIGSYS handler: rt_sigreturn (15) from inside the region. */
	.globl redirect_inproc_restorer
	.hidden redirect_inproc_restorer
	.type redirect_inproc_restorer,@function
redirect_inproc_restorer:
	mov $15, %eax
	syscall
	hlt
	.size redirect_inproc_restorer, .-redirect_inproc_restorer

/* void redirect_inproc_sigreturn_at(void* frame_sp): an rt_sigreturn the program made from its
 * own restorer (glibc's __restore_rt, Go's), outside the region, made here with the program's
 * stack pointer: the kernel restores the program's frame and ours is abandoned. */
	.globl redirect_inproc_sigreturn_at
	.hidden redirect_inproc_sigreturn_at
	.type redirect_inproc_sigreturn_at,@function
redirect_inproc_sigreturn_at:
	mov %rdi, %rsp
	mov $15, %eax
	syscall
	hlt
	.size redirect_inproc_sigreturn_at, .-redirect_inproc_sigreturn_at

/* The start of a task-creating entry point f(nr, a0..a4, arg): the call made with the six
 * arguments moved to the kernel's registers and `arg` (the seventh, on the stack) kept in r12.
 * The parent returns the result; the child (rax 0) goes on at the local label 1 after it. */
	.macro call_returning_in_parent
	push %r12
	mov 16(%rsp), %r12
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	syscall
	test %rax, %rax
	jz 1f
	pop %r12
	ret
	.endm

/* long redirect_inproc_clone_into(long nr, long a0, long a1, long a2, long a3, long a4,
 *                                 const ChildRegs* regs)
 * clone or clone3 of a child that starts on a stack of its own. The parent gets the result.
 * The child (rax 0) is on the new stack, below `regs`: it re-arms Syscall User Dispatch
 * (the kernel clears it in every new task) with redirect_inproc_child_armed(regs), loads the
 * program's registers from `regs` and jumps to the program's return address with rax 0 and
 * rcx = rip, r11 = rflags, as the kernel's SYSRET would leave them. ChildRegs is
 * task_creation.h's: r8 r9 r10 r12 r13 r14 r15 rdi rsi rbp rbx rdx rsp rip rflags. */
	.globl redirect_inproc_clone_into
	.hidden redirect_inproc_clone_into
	.type redirect_inproc_clone_into,@function
redirect_inproc_clone_into:
	call_returning_in_parent
1:	mov %r12, %rdi
	call redirect_inproc_child_armed
	mov %r12, %r11
	mov 0(%r11), %r8
	mov 8(%r11), %r9
	mov 16(%r11), %r10
	mov 24(%r11), %r12
	mov 32(%r11), %r13
	mov 40(%r11), %r14
	mov 48(%r11), %r15
	mov 56(%r11), %rdi
	mov 64(%r11), %rsi
	mov 72(%r11), %rbp
	mov 80(%r11), %rbx
	mov 88(%r11), %rdx
	mov 96(%r11), %rsp
	mov 104(%r11), %rcx
	mov 112(%r11), %r11
	xor %eax, %eax
	jmp *%rcx
	.size redirect_inproc_clone_into, .-redirect_inproc_clone_into

/* long redirect_inproc_vfork_from(long nr, long a0, long a1, long a2, long a3, long a4,
 *                                 VforkChild* child)
 * clone or clone3 with CLONE_VM|CLONE_VFORK and no stack of the child's own: a real vfork. The
 * parent, waiting in the call until the child execs or exits, gets the result. The child runs
 * on the same stack, below the parent's stack pointer, where the parent keeps nothing: it
 * leaves a red zone's room and calls redirect_inproc_vfork_child(child), which never returns
 * (vfork_child.h). */
	.globl redirect_inproc_vfork_from
	.hidden redirect_inproc_vfork_from
	.type redirect_inproc_vfork_from,@function
redirect_inproc_vfork_from:
	call_returning_in_parent
1:	sub $256, %rsp
	and $-16, %rsp
	mov %r12, %rdi
	call redirect_inproc_vfork_child
	hlt
	.size redirect_inproc_vfork_from, .-redirect_inproc_vfork_from

/* The trampolines of rewritten syscall sites (trampolines.h): whole pages of int3 at the end of
 * the region, written one 32-byte slot per site. Page-aligned at both ends, so making a slot
 * writable never touches the entry points above, and nothing after the region shares a page. */
	.balign 4096
	.globl redirect_inproc_trampolines
	.hidden redirect_inproc_trampolines
redirect_inproc_trampolines:
	.fill 65536, 1, 0xcc
	.globl redirect_inproc_trampolines_end
	.hidden redirect_inproc_trampolines_end
redirect_inproc_trampolines_end:

	.globl redirect_inproc_region_end
	.hidden redirect_inproc_region_end
redirect_inproc_region_end:

/* void redirect_inproc_on_stack(void (*fn)(void*), void* arg, void* stack_top): calls fn(arg)
 * with rsp = stack_top (16-byte aligned), then returns on the caller's stack. Outside the
 * region: it makes no system call. */
	.text
	.globl redirect_inproc_on_stack
	.hidden redirect_inproc_on_stack
	.type redirect_inproc_on_stack,@function
redirect_inproc_on_stack:
	push %rbp
	mov %rsp, %rbp
	mov %rdx, %rsp
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	mov %rbp, %rsp
	pop %rbp
	ret
	.size redirect_inproc_on_stack, .-redirect_inproc_on_stack

	.section .note.GNU-stack,"",@progbits
