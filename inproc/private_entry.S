/* The first instructions on the private stack after private_entry.cpp's rt_sigreturn entered
 * it: rdi = arg, rsi = fn, rbx = the trap's ucontext, rsp = the stack's top (16-byte aligned).
 * Calls fn(arg), then returns through the trap's own frame (its rt_sigreturn, from the allowed
 * region). No system call here: this lies outside the region Syscall User Dispatch lets through.
 */
	.text
	.globl redirect_inproc_private_entry
	.hidden redirect_inproc_private_entry
	.type redirect_inproc_private_entry,@function
redirect_inproc_private_entry:
	call *%rsi
	mov %rbx, %rdi
	jmp redirect_inproc_sigreturn_at
	.size redirect_inproc_private_entry, .-redirect_inproc_private_entry

	.section .note.GNU-stack,"",@progbits
