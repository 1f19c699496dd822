#!/usr/bin/env bash
# The EXAMPLES of docs/redirect.1 are true: every `$ redirect ...` command there whose rule
# files exist in the source tree runs (in a directory with the seed files and examples/) with
# status 0 and prints exactly the lines under it, up to the next command or the end of the
# block. Commands about files the reader brings (app.toml) are not run.
source "$(dirname "$0")/lib/common.bash"
seed_files
ln -s "$SRCDIR/examples" examples

# roff -> text for the escapes the page uses.
unroff() { sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g'; }
mapfile -t lines < <(sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$SRCDIR/docs/redirect.1" |
  sed -n '/^\.EX/,/^\.EE/p' | unroff)

ran=0
check_command() {  # check_command COMMAND EXPECTED
  local words=() w
  read -ra words <<<"$1"
  for w in "${words[@]}"; do
    [[ $w == *.toml && ! -e $w ]] && return 0  # a file the reader brings
    [[ $w == */* && $w != [-/]* && $w != *=* && ! -e $w ]] && return 0  # in the reader's bundle
  done
  [[ ${words[0]} == redirect ]] || fail "man page command does not start with redirect: $1"
  rd "${words[@]:1}"
  expect_ok "man page: $1"
  expect_eq "man page output of: $1" "$2" "$OUT"
  ran=$((ran + 1))
}

command="" expected="" i=0
while ((i < ${#lines[@]})); do
  line=${lines[i]}
  i=$((i + 1))
  if [[ $line == '$ '* || $line == .EE ]]; then
    [[ -n $command ]] && check_command "$command" "$expected"
    command="" expected=""
    [[ $line == .EE ]] && continue
    command=${line#\$ }
    while [[ $command == *'\' ]]; do  # a continued line
      command="${command%\\} ${lines[i]#"${lines[i]%%[! ]*}"}"
      i=$((i + 1))
    done
  elif [[ -n $command ]]; then
    expected+=${expected:+$'\n'}$line
  fi
done
((ran >= 4)) || fail "only $ran man page examples ran"
echo "man-examples: $ran commands ok"
