#!/usr/bin/env bash
# Every tests/invalid/NAME.toml must make `redirect lint` exit 1 and print exactly the
# diagnostic lines (errors, warnings and notes) in NAME.expected; the source line and caret
# under each are not compared. NAME.flags, if present, holds extra options for lint.
set -uo pipefail
cd "$SRCDIR"
fail=0
count=0
for toml in tests/invalid/*.toml; do
  expected=${toml%.toml}.expected
  count=$((count + 1))
  if [ ! -f "$expected" ]; then
    echo "FAIL $toml: no $expected beside it"; fail=1; continue
  fi
  flags=()
  [ -f "${toml%.toml}.flags" ] && read -ra flags < "${toml%.toml}.flags"
  got=$("$REDIRECT" lint "${flags[@]}" "$toml" 2>&1 >/dev/null)
  rc=$?
  lines=$(printf '%s\n' "$got" | grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning|note): |^[^ :]+: (error|warning|note): ')
  if [ $rc -ne 1 ]; then
    echo "FAIL $toml: exit status $rc, expected 1"; printf '%s\n' "$got"; fail=1
  elif [ "$lines" != "$(cat "$expected")" ]; then
    echo "FAIL $toml: diagnostics differ"
    diff <(cat "$expected") <(printf '%s\n' "$lines")
    fail=1
  fi
done
[ $count -gt 0 ] || { echo "FAIL: no files in tests/invalid"; exit 1; }
echo "$count invalid rule files checked"
exit $fail
