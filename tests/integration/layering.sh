#!/usr/bin/env bash
# The dependency direction cli -> engine -> rules: rules/ includes nothing of engine/ or cli/,
# engine/ nothing of cli/, engine/arch/ nothing of rules/, and cli/ nothing of engine/arch/;
# inproc/ (the in-process backend) sees rules/ and engine/arch/ only, and nothing sees inproc/
# but the CLI. A wrong include is named with its
# file and line, so the direction cannot rot unnoticed.
set -euo pipefail
cd "${SRCDIR:?}"
bad=0
check() {  # check DIR PATTERN WHY
  local hits
  hits=$(grep -rnE "^#include \"($2)/" "$1" --include='*.h' --include='*.cpp' || true)
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | sed "s|\$|   <- $3|" >&2
    bad=1
  fi
}
check rules 'engine|cli' "rules/ is policy: it must not include the engine or the CLI"
check rules/gen 'engine|cli' "the generator belongs to rules/"
check engine 'cli' "the engine must not include the CLI"
check engine/arch 'rules|cli' "engine/arch/ must see nothing of rules/ or the CLI"
check cli 'engine/arch' "the CLI asks the engine (engine/abi.h), not the arch headers"
check rules 'inproc' "rules/ is policy: it must not include the in-process backend"
check engine 'inproc' "the ptrace engine and the in-process backend are apart"
check inproc 'engine/[a-z_]+\.h|cli' "inproc/ may use rules/ and engine/arch/, not the ptrace engine or the CLI"
[ "$bad" -eq 0 ] && echo "layering: ok"
exit "$bad"
