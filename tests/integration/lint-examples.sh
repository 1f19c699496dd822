#!/usr/bin/env bash
# Every shipped example must pass `redirect lint --strict` (no error, no warning): in a shell
# without the variables a snap sets (as on a packager's build machine: placeholders and notes),
# and with them pointing somewhere plausible.
set -uo pipefail
cd "$SRCDIR"
env -u SNAP -u SNAP_DATA -u SNAP_USER_DATA -u SNAP_USER_COMMON \
  "$REDIRECT" lint --strict examples/*.toml 2>/dev/null ||
  { echo "FAIL: examples/*.toml without the snap variables"; exit 1; }
export SNAP=${SNAP:-/snap/app/current} SNAP_DATA=${SNAP_DATA:-/var/snap/app/current}
export SNAP_USER_DATA=${SNAP_USER_DATA:-$HOME/snap/app/current}
export SNAP_USER_COMMON=${SNAP_USER_COMMON:-$HOME/snap/app/common}
shopt -s nullglob
files=(examples/*.toml)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no examples"; exit 1; }
# One at a time: each example is used on its own, with its own program.
for f in "${files[@]}"; do
  "$REDIRECT" lint --strict "$f" || { echo "FAIL: $f"; exit 1; }
done
echo "${#files[@]} examples pass lint --strict"
