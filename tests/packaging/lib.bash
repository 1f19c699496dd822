# Shared helpers of the packaging suite (tests/packaging/*.sh; `make test-packaging`). Each
# test plays a packager: it fetches real Debian packages with `apt-get download` (into a cache
# kept between runs), extracts them with `dpkg-deb -x` into a bundle, and checks the program
# is absent from the host; then learns rules with `redirect trace --suggest` (a round per
# failure, each round's file given to the next with --rules) and runs the program from the
# bundle with the last file exactly as trace wrote it. It skips (77) when the archive cannot
# be reached, or a package is on the host (the test would prove nothing).
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
skip() {
  echo "SKIP: $*" >&2
  exit 77
}

: "${REDIRECT:?REDIRECT must name the redirect binary}"
unset SNAP SNAP_DATA SNAP_USER_DATA  # the rules' defaults, as trace wrote them
REDIRECT=$(realpath "$REDIRECT")
CACHE=${REDIRECT_PACKAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redirect-packaging}
mkdir -p "$CACHE"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
  skip "apt-get and dpkg-deb are needed (a Debian host)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/redirect-pkg.XXXXXX")
CLEANUP_PIDS=()
cleanup() {
  local pid
  for pid in "${CLEANUP_PIDS[@]}" $(bundle_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  cd /
  rm -rf "$WORK"
}
trap cleanup EXIT
chmod 755 "$WORK"  # a daemon's workers run as another user and read the bundle
cd "$WORK"
BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE"

# fetch PKG...: the .deb of each PKG in the cache (downloaded once); skips when the archive
# cannot be reached.
fetch() {
  local pkg
  for pkg in "$@"; do
    compgen -G "$CACHE/${pkg}_*.deb" >/dev/null && continue
    (cd "$CACHE" && timeout 300 apt-get download "$pkg" >"$WORK/apt.log" 2>&1) ||
      skip "apt-get download $pkg failed (no archive?): $(tail -2 "$WORK/apt.log")"
  done
}

# bundle PKG...: fetches and extracts each PKG into $BUNDLE.
bundle() {
  local pkg deb
  fetch "$@"
  for pkg in "$@"; do
    for deb in "$CACHE/${pkg}"_*.deb; do dpkg-deb -x "$deb" "$BUNDLE"; done
  done
}

# absent PATH...: skips unless every PATH is missing on the host.
absent() {
  local p
  for p in "$@"; do [[ ! -e $p ]] || skip "$p exists on this host: the test would prove nothing"; done
}

# run CMD...: runs CMD with a timeout, setting STATUS, OUT and ERR.
run() {
  STATUS=0
  timeout -k 5 "${RUN_TIMEOUT:-120}" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null || STATUS=$?
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}

# run_app ARGS...: `run "$REDIRECT" ARGS...` for a run of the program under rules (not trace,
# lint or explain), with `--backend $REDIRECT_BACKEND` first when that is set (`make
# test-packaging-inproc`): rules learnt by a ptrace trace, run as the packager ships them.
run_app() {
  run "$REDIRECT" ${REDIRECT_BACKEND:+--backend "$REDIRECT_BACKEND"} "$@"
}

# bundle_pids: the processes running a program of the bundle (by /proc/PID/exe).
bundle_pids() {
  local exe p
  for exe in /proc/[0-9]*/exe; do
    p=${exe#/proc/}
    p=${p%/exe}
    [[ $(readlink "$exe" 2>/dev/null) == "$BUNDLE"/* ]] && echo "$p"
  done
  return 0
}

# stop_bundle_programs: kills what the bundle's programs left running (a daemon a trace round
# started), by pid, and waits until they are gone.
stop_bundle_programs() {
  local pids i
  pids=$(bundle_pids)
  [[ -z $pids ]] && return 0
  kill -KILL $pids 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    [[ -z $(bundle_pids) ]] && return 0
    sleep 0.05
  done
  fail "bundle programs still running: $(bundle_pids)"
}

# time_runs CMD...: with TIME_RUNS=N, runs CMD N times under $RULES (run_app) and prints the
# median wall time ("--- time: ..."; the run script shows it with VERBOSE=1).
time_runs() {
  [[ -n ${TIME_RUNS:-} ]] || return 0
  local i t0 ms=()
  for ((i = 0; i < TIME_RUNS; i++)); do
    t0=$(date +%s%N)
    run_app --rules "$RULES" -- "$@"
    ms+=($((($(date +%s%N) - t0) / 1000000)))
    stop_bundle_programs
  done
  echo "--- time: median $(printf '%s\n' "${ms[@]}" | sort -n | sed -n "$(((TIME_RUNS + 1) / 2))p") ms of $TIME_RUNS runs, --backend ${REDIRECT_BACKEND:-ptrace}"
}

# learn ROUNDS CHECK -- CMD...: the packager's loop. Round N traces CMD (--no-host-writes, so
# discovery writes nothing to the host, and $TRACE_ARGS, e.g. --wait-all for a daemon's whole
# life) with the rules of round N-1 and writes rules-N.toml (the given rules and the new ones); after each round the
# file must pass `lint --strict` and CMD runs under it, unedited (run_app: under
# $REDIRECT_BACKEND when set; the trace under $TRACE_BACKEND, ptrace's by default); CHECK (a function, reading
# STATUS/OUT/ERR) says whether it works. Sets RULES to the file that works; fails after ROUNDS.
learn() {
  local rounds=$1 check=$2 n given=()
  shift 3
  for ((n = 1; n <= rounds; n++)); do
    run "$REDIRECT" trace ${TRACE_BACKEND:+--backend "$TRACE_BACKEND"} --no-host-writes ${TRACE_ARGS:-} "${given[@]}" --suggest "$BUNDLE" -o "rules-$n.toml" -- "$@"
    stop_bundle_programs
    echo "--- round $n: trace exit $STATUS; $(grep -c '^\[\[rule\]\]' "rules-$n.toml" || true) rules"
    [[ -s rules-$n.toml ]] || fail "round $n wrote no rule file: $ERR"
    run "$REDIRECT" lint --strict "rules-$n.toml"
    [[ $STATUS == 0 ]] || fail "round $n: lint --strict rules-$n.toml: $OUT $ERR"
    RULES=$WORK/rules-$n.toml
    run_app --rules "$RULES" -- "$@"
    local works=0
    "$check" || works=$?
    stop_bundle_programs
    if ((works == 0)); then
      echo "--- works with rules-$n.toml, as written:"
      grep -E '^(# covers|# hides|match|replace)' "$RULES" | sed 's/^/    /'
      time_runs "$@"
      return 0
    fi
    echo "    not yet: status $STATUS: $(head -c 300 <<<"$ERR")"
    given=(--rules "rules-$n.toml")
  done
  fail "still failing after $rounds rounds; last rules: $(cat "$RULES")"
}
