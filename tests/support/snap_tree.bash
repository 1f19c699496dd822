# Helpers of the tests/integration/example-*.sh drivers, sourced after lib/common.bash (which
# has moved into a fresh $WORK). A snap's environment is three directories: $SNAP (the
# read-only bundle), $SNAP_DATA (system-wide writable state) and $SNAP_USER_DATA (per-user
# writable state, normally under the real $HOME). Here all three live inside $WORK, so a rule
# that sends a write to the wrong place fails the test instead of touching the machine.

# snap_tree NAME: creates and exports SNAP, SNAP_DATA, SNAP_USER_DATA and SNAP_USER_COMMON for
# snap NAME, revision x1, under $WORK; also SNAP_NAME and SNAP_REVISION as snapd sets them.
snap_tree() {
  export SNAP_NAME=$1 SNAP_REVISION=x1
  export SNAP=$WORK/snap/$1/x1
  export SNAP_DATA=$WORK/var/snap/$1/x1
  export SNAP_USER_DATA=$WORK/user/snap/$1/x1
  export SNAP_USER_COMMON=$WORK/user/snap/$1/common
  mkdir -p "$SNAP" "$SNAP_DATA" "$SNAP_USER_DATA" "$SNAP_USER_COMMON"
}

# example_rules NAME: the path of examples/NAME.toml, after checking that it passes
# `redirect lint --strict` with this test's environment (its @{VAR}s must all be set).
example_rules() {
  local f=$SRCDIR/examples/$1.toml
  [[ -f $f ]] || fail "missing example $f"
  rd lint --strict "$f"
  expect_ok "redirect lint --strict examples/$1.toml"
  echo "$f"
}

# tree_state DIR: one line per entry below DIR (path, type, size, checksum of files), sorted,
# or "absent" when DIR does not exist. Compare two calls to prove nothing changed.
tree_state() {
  [[ -e $1 ]] || {
    echo absent
    return
  }
  (cd "$1" && find . -printf '%p %y %s\n' | sort && find . -type f -exec md5sum {} + | sort)
}

# python_bin: a Python 3 interpreter, the system's when it exists (a pyenv or similar shim is a
# shell script that execs another program: it works under redirect too, only slower).
python_bin() {
  if [[ -x /usr/bin/python3 ]]; then
    echo /usr/bin/python3
  else
    command -v python3 || skip "python3 is not installed (scripts/install-deps installs it)"
  fi
}
