#!/usr/bin/env bash
# The JSON Schema and `redirect lint` agree on the sample rule files:
#   1. scripts/check-schema: examples/ and tests/schema-valid/ pass the schema (Taplo), every
#      tests/schema-invalid/ file fails it with the message its `# expect:` line names;
#   2. `redirect lint` rejects every tests/schema-invalid/ file too, and accepts every
#      tests/schema-valid/ file, so an editor's squiggle and lint never contradict each other.
# Skips (77) only when node or npm is missing; `make deps` installs both. Needs the npm registry
# once, when node_modules is missing (check-schema runs `npm ci`); nothing else uses the network.
set -uo pipefail
: "${SRCDIR:?}" "${REDIRECT:?}"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skip: node or npm is missing (make deps installs them)"
  exit 77
fi

status=0
"$SRCDIR/scripts/check-schema" || status=1

out=$(mktemp "${TMPDIR:-/tmp}/schema-check.XXXXXX")
trap 'rm -f "$out"' EXIT

# The samples use these variables; lint needs them set (an unset @{VAR} is an error).
export SNAP=/snap/hello/x1 SNAP_DATA=/var/snap/hello/x1 HOME=/home/user
unset SNAP_USER_COMMON
for f in "$SRCDIR"/tests/schema-invalid/*.toml; do
  "$REDIRECT" lint "$f" >"$out" 2>&1
  rc=$?
  if [ "$rc" -ne 1 ]; then
    echo "FAIL: redirect lint ${f#"$SRCDIR"/} exited $rc, want 1 (the schema rejects it):"
    sed 's/^/    /' "$out"
    status=1
  fi
done
for f in "$SRCDIR"/tests/schema-valid/*.toml; do
  "$REDIRECT" lint "$f" >"$out" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: redirect lint ${f#"$SRCDIR"/} exited $rc, want 0 (the schema accepts it):"
    sed 's/^/    /' "$out"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "ok: schema and lint agree on every sample"
exit "$status"
