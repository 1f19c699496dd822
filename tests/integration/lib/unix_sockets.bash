# unix_socket_rules: the set-up unix-sockets.sh and inproc-sockets.sh share, in $WORK: the
# directories real/ (where sockets belong) and cwd/ (a relative bind's directory), and r.toml:
# a bind rewrite too long for sun_path, %net rewrites of /redirect-virtual/sock/*, and relative
# .sock binds in cwd/ sent to real/. Sourced after lib/common.bash.
unix_socket_rules() {
  mkdir real cwd
  local long=$WORK/real/$(printf 'x%.0s' {1..120})
  cat >r.toml <<TOML
[[rule]]
name = "too-long"
syscalls = ["bind"]
match = '^/redirect-virtual/sock/toolong$'
replace = '$long'

[[rule]]
name = "sockets"
syscalls = ["%net"]
match = '^/redirect-virtual/sock/(.*)$'
replace = '$WORK/real/\$1'

[[rule]]
name = "relative"
syscalls = ["bind"]
match = '^$WORK/cwd/(.*\.sock)$'
replace = '$WORK/real/\$1'
TOML
}
