# bash completion for redirect(1): the subcommands (lint, explain, trace), their options, rule
# files after --rules, and syscall names for `redirect explain`. Installed to
# share/bash-completion/completions/redirect, where bash-completion loads it on first use;
# `source completion/redirect.bash` works too.
#
# It needs nothing from the bash-completion package (it reads COMP_WORDS itself), but uses
# its _command_offset when present to complete PROG's own arguments with PROG's completion.
# The syscall list is every row of rules/syscalls.def, in table order; tests/unit/docs_test.cpp
# fails when the table and this list differ. Classes (%file, ...) are not offered: they are
# valid in rule files only, and `redirect explain` takes one syscall name.

# syscalls:begin
_redirect_syscalls="
  read write open close stat fstat lstat poll lseek mmap mprotect munmap brk rt_sigaction
  rt_sigprocmask rt_sigreturn ioctl pread64 pwrite64 readv writev access pipe select sched_yield
  mremap msync mincore madvise shmget shmat shmctl dup dup2 pause nanosleep getitimer alarm
  setitimer getpid sendfile socket connect accept sendto recvfrom sendmsg recvmsg shutdown
  bind listen getsockname getpeername socketpair setsockopt getsockopt clone fork vfork execve
  exit wait4 kill uname semget semop semctl shmdt msgget msgsnd msgrcv msgctl fcntl flock fsync
  fdatasync truncate ftruncate getdents getcwd chdir fchdir rename mkdir rmdir creat link unlink
  symlink readlink chmod fchmod chown fchown lchown umask gettimeofday getrlimit getrusage
  sysinfo times ptrace getuid syslog getgid setuid setgid geteuid getegid setpgid getppid
  getpgrp setsid setreuid setregid getgroups setgroups setresuid getresuid setresgid getresgid
  getpgid setfsuid setfsgid getsid capget capset rt_sigpending rt_sigtimedwait rt_sigqueueinfo
  rt_sigsuspend sigaltstack utime mknod uselib personality ustat statfs fstatfs sysfs
  getpriority setpriority sched_setparam sched_getparam sched_setscheduler sched_getscheduler
  sched_get_priority_max sched_get_priority_min sched_rr_get_interval mlock munlock mlockall
  munlockall vhangup modify_ldt pivot_root _sysctl prctl arch_prctl adjtimex setrlimit
  chroot sync acct settimeofday mount umount2 swapon swapoff reboot sethostname setdomainname
  iopl ioperm create_module init_module delete_module get_kernel_syms query_module quotactl
  nfsservctl getpmsg putpmsg afs_syscall tuxcall security gettid readahead setxattr lsetxattr
  fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr removexattr lremovexattr
  fremovexattr tkill time futex sched_setaffinity sched_getaffinity set_thread_area io_setup
  io_destroy io_getevents io_submit io_cancel get_thread_area lookup_dcookie epoll_create
  epoll_ctl_old epoll_wait_old remap_file_pages getdents64 set_tid_address restart_syscall
  semtimedop fadvise64 timer_create timer_settime timer_gettime timer_getoverrun timer_delete
  clock_settime clock_gettime clock_getres clock_nanosleep exit_group epoll_wait epoll_ctl
  tgkill utimes vserver mbind set_mempolicy get_mempolicy mq_open mq_unlink mq_timedsend
  mq_timedreceive mq_notify mq_getsetattr kexec_load waitid add_key request_key keyctl
  ioprio_set ioprio_get inotify_init inotify_add_watch inotify_rm_watch migrate_pages openat
  mkdirat mknodat fchownat futimesat newfstatat unlinkat renameat linkat symlinkat readlinkat
  fchmodat faccessat pselect6 ppoll unshare set_robust_list get_robust_list splice tee
  sync_file_range vmsplice move_pages utimensat epoll_pwait signalfd timerfd_create eventfd
  fallocate timerfd_settime timerfd_gettime accept4 signalfd4 eventfd2 epoll_create1 dup3
  pipe2 inotify_init1 preadv pwritev rt_tgsigqueueinfo perf_event_open recvmmsg fanotify_init
  fanotify_mark prlimit64 name_to_handle_at open_by_handle_at clock_adjtime syncfs
  sendmmsg setns getcpu process_vm_readv process_vm_writev kcmp finit_module sched_setattr
  sched_getattr renameat2 seccomp getrandom memfd_create kexec_file_load bpf execveat
  userfaultfd membarrier mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect pkey_alloc
  pkey_free statx io_pgetevents rseq uretprobe pidfd_send_signal io_uring_setup io_uring_enter
  io_uring_register open_tree move_mount fsopen fsconfig fsmount fspick pidfd_open clone3
  close_range openat2 pidfd_getfd faccessat2 process_madvise epoll_pwait2 mount_setattr
  quotactl_fd landlock_create_ruleset landlock_add_rule landlock_restrict_self memfd_secret
  process_mrelease futex_waitv set_mempolicy_home_node cachestat fchmodat2 map_shadow_stack
  futex_wake futex_wait futex_requeue waitpid break oldstat umount stime oldfstat stty gtty
  nice ftime prof signal lock mpx ulimit oldolduname sigaction sgetmask ssetmask sigsuspend
  sigpending oldlstat readdir profil socketcall olduname idle vm86old ipc sigreturn sigprocmask
  bdflush _llseek _newselect vm86 ugetrlimit mmap2 truncate64 ftruncate64 stat64 lstat64 fstat64
  lchown32 getuid32 getgid32 geteuid32 getegid32 setreuid32 setregid32 getgroups32 setgroups32
  fchown32 setresuid32 getresuid32 setresgid32 getresgid32 chown32 setuid32 setgid32 setfsuid32
  setfsgid32 fcntl64 sendfile64 statfs64 fstatfs64 fadvise64_64 fstatat64 clock_gettime64
  clock_settime64 clock_adjtime64 clock_getres_time64 clock_nanosleep_time64 timer_gettime64
  timer_settime64 timerfd_gettime64 timerfd_settime64 utimensat_time64 pselect6_time64
  ppoll_time64 io_pgetevents_time64 recvmmsg_time64 mq_timedsend_time64 mq_timedreceive_time64
  semtimedop_time64 rt_sigtimedwait_time64 futex_time64 sched_rr_get_interval_time64 statmount
  listmount lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal setxattrat getxattrat
  listxattrat removexattrat open_tree_attr file_getattr file_setattr
"
# syscalls:end

# _redirect_reply WORDS...: COMPREPLY = the WORDS that start with $cur.
_redirect_reply() {
  local IFS=$' \t\n'
  COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

# _redirect_files [GLOB]: file names (directories always, so the user can descend).
_redirect_files() {
  local IFS=$'\n'
  if [[ -n ${1-} ]]; then
    COMPREPLY=($(compgen -f -X "!$1" -- "$cur") $(compgen -d -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  # Let bash add the trailing slash of directories and quote names with spaces.
  compopt -o filenames 2>/dev/null
}

_redirect_lint() {
  case $prev in
    --format) _redirect_reply text json; return ;;
    -D | --define) _redirect_reply SNAP= SNAP_DATA= SNAP_USER_DATA= SNAP_USER_COMMON=; return ;;
  esac
  if [[ $cur == -* ]]; then
    _redirect_reply --strict --format --define -D --require-env --help -h
  else
    _redirect_files '*.toml'
  fi
}

_redirect_explain() {
  case $prev in
    -r | --rules) _redirect_files '*.toml'; return ;;
    --arg) _redirect_reply 0 1 2 3 4 5; return ;;
    --cwd | --dirfd-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    _redirect_reply --rules -r --arg --cwd --dirfd-dir --help -h
    return
  fi
  # Count the positionals before the cursor: the first is SYSCALL, the second STRING (a path).
  local i positionals=0
  for ((i = 2; i < cword; i++)); do
    case ${words[i]} in
      -r | --rules | --arg | --cwd | --dirfd-dir) ((i++)) ;;
      -*) ;;
      *) ((positionals++)) ;;
    esac
  done
  if ((positionals == 0)); then
    _redirect_reply $_redirect_syscalls
  else
    _redirect_files
  fi
}

# _redirect_program FIRST OPTS_WITH_VALUE: completes PROG and its arguments when the cursor is
# past the options that start at word FIRST (the first word that is not an option, or the word
# after --, is PROG); returns 1 when the cursor is still among the options.
_redirect_program() {
  local i
  for ((i = $1; i < cword; i++)); do
    case ${words[i]} in
      --) ((i++)); break ;;
      -*) [[ " $2 " == *" ${words[i]} "* ]] && ((i++)) ;;
      *) break ;;
    esac
  done
  if ((i < cword)); then
    if declare -F _command_offset >/dev/null; then
      _command_offset "$i"
    else
      _redirect_files
    fi
    return 0
  fi
  if ((i == cword)) && [[ ${words[i - 1]} == -- ]]; then
    COMPREPLY=($(compgen -c -- "$cur"))
    return 0
  fi
  return 1
}

_redirect_trace() {
  case $prev in
    -r | --rules) _redirect_files '*.toml'; return ;;
    -o | --rules-out) _redirect_files '*.toml'; return ;;
    --report) _redirect_files; COMPREPLY+=($(compgen -W - -- "$cur")); return ;;
    --suggest) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --var) _redirect_reply SNAP; return ;;
    --format) _redirect_reply text json; return ;;
    --mode) _redirect_reply seccomp ptrace; return ;;
    --backend) _redirect_reply ptrace; return ;;
  esac
  _redirect_program 2 "-r --rules -o --rules-out --report --suggest --var --format --mode --backend" &&
    return
  if [[ $cur == -* ]]; then
    _redirect_reply --rules -r --format --report --suggest --var --rules-out -o --force \
      --no-host-writes --dry-run --wait-all --mode --backend --help -h --
  else
    COMPREPLY=($(compgen -c -- "$cur"))
  fi
}

_redirect_run() {
  case $prev in
    -r | --rules) _redirect_files '*.toml'; return ;;
    -o | --log) _redirect_files; COMPREPLY+=($(compgen -W - -- "$cur")); return ;;
    --mode) _redirect_reply seccomp ptrace; return ;;
    --backend) _redirect_reply ptrace inproc auto; return ;;
  esac
  # The first word that is not an option (or the word after --) is PROG; from there on, the
  # words are PROG's own.
  local i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      -r | --rules | -o | --log | --mode | --backend) ((i++)) ;;
      --) ((i++)); break ;;
      -*) ;;
      *) break ;;
    esac
  done
  if ((i < cword)); then
    if declare -F _command_offset >/dev/null; then
      _command_offset "$i"
    else
      _redirect_files
    fi
    return
  fi
  if ((i == cword)) && [[ ${words[i - 1]} == -- ]]; then
    COMPREPLY=($(compgen -c -- "$cur"))
  elif [[ $cur == -* ]]; then
    _redirect_reply --rules -r --mode --backend --log -o --log-append --dry-run --stats --wait-all \
      --two-stops \
      --verbose -v --version \
      --help -h --
  else
    COMPREPLY=($(compgen -c -- "$cur"))
    ((cword == 1)) && COMPREPLY+=($(compgen -W "lint explain trace" -- "$cur"))
  fi
}

_redirect() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local -a words=("${COMP_WORDS[@]}")
  local cword=$COMP_CWORD
  COMPREPLY=()
  case ${words[1]-} in
    lint) ((cword > 1)) && { _redirect_lint; return; } ;;
    explain) ((cword > 1)) && { _redirect_explain; return; } ;;
    trace) ((cword > 1)) && { _redirect_trace; return; } ;;
  esac
  _redirect_run
}

complete -F _redirect redirect
