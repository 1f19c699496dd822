# The tracer's memory stays bounded when a traced program fails on a great many distinct
# paths: python3 stats 200,000 names that do not exist, then reads its parent's (the tracer's)
# peak resident size. The report keeps a bounded number of paths per section and says how
# many it dropped. Unbounded, the tracer grew to ~120 MB here; the limit is 60 MB.
source "$(dirname "$0")/lib/common.bash"
python=/usr/bin/python3
[[ -x $python ]] || skip "$python is not installed"
libs=$(ldd "$REDIRECT" 2>/dev/null || true) # not piped into grep -q: pipefail + SIGPIPE
if [[ $libs == *lib[at]san* ]]; then
  # ASan's shadow memory and quarantine say nothing about the tracer's own growth; the plain
  # build's run of this test measures it.
  skip "redirect is built with a sanitizer, whose memory is not the tracer's"
fi
count=${TRACE_MEMORY_PATHS:-200000}

cat >many.py <<PY
import os
for i in range($count):
    try:
        os.stat("/redirect-no-such-dir/%d-a-fairly-long-name-like-a-real-program-uses" % i)
    except FileNotFoundError:
        pass
with open("/proc/%d/status" % os.getppid()) as f:
    print([l.split()[1] for l in f if l.startswith("VmHWM:")][0])
PY

RUN_TIMEOUT=300 rd trace --report report.txt -- "$python" many.py
expect_ok "the program under trace"
peak_kb=$OUT
echo "tracer peak resident size: ${peak_kb} kB after $count distinct failing paths"
((peak_kb < 60 * 1024)) || fail "the tracer grew to ${peak_kb} kB"
grep -q "times a path came beyond the 20000 distinct ones each section keeps" report.txt ||
  fail "the report does not say it dropped paths: $(tail -5 report.txt)"
calls=$(sed -n 's/^redirect trace: \([0-9]*\) path calls.*/\1/p' report.txt)
((calls >= count)) || fail "the summary counts ${calls:-no} calls: $(head -1 report.txt)"
echo PASS
