#!/usr/bin/env python3
"""CPython's own test modules, natively and under redirect, compared test by test.

Three runs of `python3 -m test --junit-xml`: natively; under an identity rewrite of every path
argument ('^(.*)$' -> '$1' on %file: every path is read, matched, substituted and handed over
from the scratch mapping); and with the temporary directory moved by a prefix rule (TMPDIR is
/tmp/NAME-host, which does not exist on the host; the rule sends it to /var/tmp/NAME-bundle, so
regrtest's working directory, every temporary file, socket and FIFO is in the bundle, read back
to the program's view by getcwd and for relative names). Each test's outcome (passed, failed,
error, skipped) must equal the native one, except the differences listed in
tests/identity/cpython-differences with their reasons; a listed difference that no longer
happens is reported too, so the list stays true.

Usage: cpython.py REDIRECT [MODULE...]   (default: the modules of DEFAULT_MODULES)
Runs the Python it is started with; `make test-identity` starts it with Debian's /usr/bin/python3
and installs that Python's test suite (libpython3.X-testsuite).
Exit status: 0 same, 1 an unlisted difference, 77 CPython's test suite is not installed.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

# Modules that exercise paths, directories, links, sockets and temporary files; together about
# a minute natively on the project's machines.
DEFAULT_MODULES = [
    "test_os", "test_shutil", "test_tempfile", "test_glob", "test_pathlib", "test_posixpath",
    "test_fileio", "test_filecmp", "test_fileinput", "test_zipfile", "test_tarfile",
    "test_compileall", "test_py_compile", "test_dbm_dumb", "test_mailbox", "test_sqlite3",
    "test_logging", "test_socketserver", "test_posix",
    "test_linecache", "test_zipimport", "test_import",
]
HERE = os.path.dirname(os.path.abspath(__file__))


def outcomes(xml_path):
    """{test id: outcome} from regrtest's JUnit XML."""
    result = {}
    for case in ET.parse(xml_path).iter("testcase"):
        name = f"{case.get('classname', '')}.{case.get('name', '')}".lstrip(".")
        status = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                status = child.tag
        if case.get("status") == "skipped":
            status = "skipped"
        result[name] = status
    return result


def rule_files(work, name):
    identity = os.path.join(work, "identity.toml")
    with open(identity, "w") as f:
        f.write('[[rule]]\nname = "identity"\nsyscalls = ["%file"]\n'
                "match = '^(.*)$'\nreplace = '$1'\n")
    moved = os.path.join(work, "moved-tmp.toml")
    with open(moved, "w") as f:
        f.write(f'[[rule]]\nname = "tmp"\nsyscalls = ["%file"]\n'
                f"match = '^/tmp/{name}-host(/.*)?$'\n"
                f"replace = '/var/tmp/{name}-bundle$1'\n")
    return identity, moved


def run_mode(mode, redirect, rules, modules, work, tmpdir):
    xml_path = os.path.join(work, f"{mode}.xml")
    log_path = os.path.join(work, f"{mode}.log")
    cmd = [sys.executable, "-m", "test", "--junit-xml", xml_path, "-q", *modules]
    if rules:
        cmd = [redirect, "--rules", rules, "--", *cmd]
    env = dict(os.environ, TMPDIR=tmpdir)
    start = time.monotonic()
    with open(log_path, "w") as log:
        subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, cwd=work)
    took = time.monotonic() - start
    if not os.path.exists(xml_path):
        sys.exit(f"cpython identity: the {mode} run wrote no results (see {log_path})")
    return outcomes(xml_path), took


def known_differences():
    listed = {}
    with open(os.path.join(HERE, "cpython-differences")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                mode, test, reason = line.split(None, 2)
                listed[(mode, test)] = reason
    return listed


def compare(mode, native, traced, listed):
    """Prints each difference; returns the number not listed."""
    unlisted = 0
    for test in sorted(set(native) | set(traced)):
        want, got = native.get(test, "absent"), traced.get(test, "absent")
        if want == got:
            if (mode, test) in listed:
                print(f"  {mode}: {test}: listed as a difference but {got} as natively")
                unlisted += 1
            continue
        reason = listed.get((mode, test))
        print(f"  {mode}: {test}: {want} natively, {got} traced"
              + (f" (listed: {reason})" if reason else " (NOT LISTED)"))
        unlisted += reason is None
    return unlisted


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    redirect, modules = os.path.abspath(sys.argv[1]), sys.argv[2:] or DEFAULT_MODULES
    try:
        import test.support  # noqa: F401  (Debian: libpython3.X-testsuite)
    except ImportError:
        print("cpython identity: skipped: CPython's test suite is not installed "
              f"(apt-get install libpython{sys.version_info[0]}.{sys.version_info[1]}-testsuite)")
        return 77
    work = tempfile.mkdtemp(prefix="redirect-cpython-")
    name = os.path.basename(work)
    identity, moved = rule_files(work, name)
    host_tmp, bundle_tmp = f"/tmp/{name}-host", f"/var/tmp/{name}-bundle"
    os.makedirs(os.path.join(work, "tmp"))
    os.makedirs(bundle_tmp)
    try:
        native, t0 = run_mode("native", redirect, None, modules, work, os.path.join(work, "tmp"))
        print(f"cpython identity: {len(native)} tests of {len(modules)} modules, "
              f"native {t0:.0f} s")
        unlisted = 0
        for mode, rules, tmp in (("identity", identity, os.path.join(work, "tmp")),
                                 ("moved-tmp", moved, host_tmp)):
            traced, t = run_mode(mode, redirect, rules, modules, work, tmp)
            same = sum(1 for k, v in native.items() if traced.get(k) == v)
            print(f"cpython identity: {mode}: {same} of {len(native)} as natively, {t:.0f} s "
                  f"({t / t0:.2f}x native)")
            unlisted += compare(mode, native, traced, known_differences())
        if os.path.exists(host_tmp):
            print(f"  moved-tmp: {host_tmp} exists on the host: a path escaped the rule")
            unlisted += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(bundle_tmp, ignore_errors=True)
    print("cpython identity: " + ("PASS" if unlisted == 0 else f"FAIL ({unlisted} unlisted)"))
    return 0 if unlisted == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
