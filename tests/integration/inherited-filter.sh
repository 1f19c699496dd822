# A seccomp filter that refuses mmap, inherited across execve, never gets the program killed
# or changed by redirect: the new image has no scratch mapping, and redirect asks a probe (a
# child of its own, under the same filters) whether the mmap it would inject goes through.
# Where the filter would kill (SECCOMP_RET_KILL_PROCESS) or fail it (SECCOMP_RET_ERRNO), no
# mmap is injected: rewritten strings go on the stack, and the user is told once, naming the
# process, the call and why. A string too long for the stack fallback fails the program's
# call with ENOMEM, never a kill. Covered: a filter installed by the program and then exec'd,
# and redirect itself started under a filter (a filtered parent); --mode seccomp and ptrace;
# as root and as the unprivileged user nobody; the program's output and exit status are those
# of a native run with the file installed where the rule points.
source "$(dirname "$0")/lib/common.bash"
libs=$(ldd "$REDIRECT" 2>/dev/null || true) # not piped into grep -q: pipefail + SIGPIPE
# A sanitizer's runtime maps its shadow memory with MAP_NORESERVE before main: under the
# parent's filter that refuses exactly that, such a redirect dies before it could do anything.
sanitized=; [[ $libs == *lib[at]san* ]] && sanitized=1
[[ -x $TRACEES/fsops-static ]] || skip "no fsops-static (no static libc): a program exec'd under a filter without mmap must be static"

# A directory the user nobody can read: $WORK may sit in a private temp dir.
pub=$(mktemp -d /tmp/redirect-filter.XXXXXX)
trap 'rm -rf "$pub"; cleanup' EXIT
chmod 755 "$pub"
echo "real" >"$pub/real.txt"
long=$pub/$(printf 'd%.0s' {1..200})/$(printf 'e%.0s' {1..200})/$(printf 'f%.0s' {1..200})
long=$long/$(printf 'g%.0s' {1..200})/$(printf 'h%.0s' {1..200})/real.txt
cat >"$pub/r.toml" <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/allowlisted$'
replace = '$pub/real.txt'

[[rule]]
name = "dir"
syscalls = ["openat"]
match = '^/redirect-virtual/s/(.*)$'
replace = '$pub/s/\$1'

[[rule]]
name = "too-long-for-the-stack"
syscalls = ["openat"]
match = '^/redirect-virtual/long$'
replace = '$long'
TOML
chmod a+r "$pub/real.txt" "$pub/r.toml"
if [[ $(id -u) != 0 ]]; then
  users=("$(id -un)")
elif setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  users=(root nobody)
else
  # busybox's setpriv (the VMs) cannot change user ids.
  echo "note: no setpriv that changes user ids (util-linux's): run as root only" >&2
  users=(root)
fi
as() { if [[ $1 == nobody ]]; then echo setpriv --reuid=65534 --regid=65534 --clear-groups; fi; }

stack_notice() {
  echo "cannot map redirect's scratch memory ($1): rewritten strings go on the stack, at most 928 bytes below the stack pointer"
}
why_kill="a seccomp filter of the process would kill it with SIGSYS for an injected mmap"
why_errno="Operation not permitted"

for action in kill errno; do
  why=why_$action
  for user in "${users[@]}"; do
    # Native: the program runs under the filter, and finds the file where the rule points.
    run $(as $user) "$TRACEES/allowlist" filter-exec $action mmap "$TRACEES/fsops-static" \
      open "$pub/real.txt"
    expect_ok "native, $action, $user"
    expect_eq "native, $action, $user" "open $pub/real.txt = real" "$OUT"
    for mode in seccomp ptrace; do
      what="$action filter installed then exec, --mode $mode, $user"
      run $(as $user) "$REDIRECT" --mode $mode --rules "$pub/r.toml" \
        "$TRACEES/allowlist" filter-exec $action mmap "$TRACEES/fsops-static" \
        open /redirect-virtual/allowlisted
      expect_ok "$what"
      expect_eq "$what: rewritten on the stack" "open /redirect-virtual/allowlisted = real" "$OUT"
      [[ $ERR =~ ^redirect:\ pid\ [0-9]+:\ (.*)$ ]] || fail "$what: no notice: '$ERR'"
      expect_eq "$what: one notice" "$(stack_notice "${!why}")" "${BASH_REMATCH[1]}"

      # redirect itself started by a parent whose filter refuses the mmap redirect makes
      # (MAP_NORESERVE), which neither the dynamic loader nor malloc uses.
      what="$action filter of redirect's parent, --mode $mode, $user"
      if [[ -n $sanitized ]]; then
        echo "note: $what: not checked, redirect is built with a sanitizer" >&2
        continue
      fi
      run $(as $user) "$TRACEES/allowlist" filter-exec $action noreserve "$TRACEES/fsops" \
        open "$pub/real.txt"
      expect_eq "native, $what" "open $pub/real.txt = real" "$OUT"
      run $(as $user) "$TRACEES/allowlist" filter-exec $action noreserve \
        "$REDIRECT" --mode $mode --rules "$pub/r.toml" "$TRACEES/fsops" \
        open /redirect-virtual/allowlisted
      expect_ok "$what"
      expect_eq "$what: rewritten on the stack" "open /redirect-virtual/allowlisted = real" "$OUT"
      [[ $ERR =~ ^redirect:\ pid\ [0-9]+:\ (.*)$ ]] || fail "$what: no notice: '$ERR'"
      expect_eq "$what: one notice" "$(stack_notice "${!why}")" "${BASH_REMATCH[1]}"
    done
  done
  # A path the stack fallback cannot hold: the call fails cleanly, the program goes on.
  rd --rules "$pub/r.toml" "$TRACEES/allowlist" filter-exec $action mmap \
    "$TRACEES/fsops-static" open /redirect-virtual/long open /redirect-virtual/allowlisted
  expect_ok "$action: a string too long for the stack"
  expect_eq "$action: a string too long for the stack fails with ENOMEM" \
    "open /redirect-virtual/long = ENOMEM
open /redirect-virtual/allowlisted = real" "$OUT"
done
# A filter of redirect's parent that lets redirect's calls through (a container's): the mapping
# is made, sealed where the kernel has mseal (the program's munmap of it fails with EPERM) and
# named where it names mappings, exactly as without the filter.
mkdir "$pub/s"
echo "a file" >"$pub/s/a"
chmod -R a+rX "$pub/s"
rd --rules "$pub/r.toml" "$TRACEES/scratch_spaces" unmap /redirect-virtual/s
expect_ok "no filter: unmap"
unfiltered=$OUT
run "$TRACEES/allowlist" filter-exec kill none "$REDIRECT" --rules "$pub/r.toml" \
  "$TRACEES/scratch_spaces" unmap /redirect-virtual/s
expect_ok "a filter that allows redirect's calls: unmap"
expect_eq "a filter that allows redirect's calls: sealed as without it" "$unfiltered" "$OUT"
expect_eq "a filter that allows redirect's calls: no notice" "" "$ERR"
run "$TRACEES/scratch_spaces" nameprobe
if [[ $OUT == supported ]]; then
  run "$TRACEES/allowlist" filter-exec kill none "$REDIRECT" --rules "$pub/r.toml" \
    "$TRACEES/scratch_spaces" named /redirect-virtual/s
  expect_ok "a filter that allows redirect's calls"
  expect_eq "a filter that allows redirect's calls: the mapping is named" "named: 1" "$OUT"
else
  echo "note: this kernel does not name anonymous mappings: not checked"
fi
echo PASS
