# Helpers of the tests of the in-process backend (--backend inproc); source after common.bash.
# They skip (77) where the backend cannot run: another arch, a kernel without Syscall User
# Dispatch (Linux < 5.11), or a redirect built without the library (a sanitizer build). The probe is redirect's
# own: `redirect --backend inproc -r R true` must either run or say exactly why not.

inproc_probe_rules=$WORK/.inproc-probe.toml
cat >"$inproc_probe_rules" <<'TOML'
[[rule]]
syscalls = ["openat"]
match = '^/redirect-inproc-probe$'
replace = '/'
TOML
inproc_probe_out=$("$REDIRECT" --backend inproc --rules "$inproc_probe_rules" true 2>&1) || {
  case $inproc_probe_out in
    *"needs x86_64"* | *"needs Syscall User Dispatch"* | *"not in this build"*) skip "$inproc_probe_out" ;;
    *) fail "redirect --backend inproc cannot run true: $inproc_probe_out" ;;
  esac
}
unset inproc_probe_out inproc_probe_rules

# log_lines FILE: the --log lines of FILE ("TIME PID (comm) ...") without TIME and PID, which
# differ from run to run; what is left is what both backends must write alike.
log_lines() { sed -E 's/^[0-9:.]+ [0-9]+ //' "$1"; }
