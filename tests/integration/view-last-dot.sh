# A trailing "/." or '/' and a lone "." reach the kernel: "d/." is "this directory, not a name"
# (rmdir EINVAL, rename EBUSY, mkdir ENOENT, stat of a file ENOTDIR) and a trailing '/' means
# "must be a directory". Rules match the collapsed form; the rewritten path keeps them. Every
# case is compared with a native run on a tree where the bundle is installed where the program
# expects it. python3 (exact errnos), then coreutils. Both modes.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

cat >ops.py <<'PY'
import errno, os, sys
base = sys.argv[1]  # .../host/app; the working directory is its parent, which no rule matches
os.chdir(os.path.dirname(base))
def t(name, f):
    try:
        f()
        r = "ok"
    except OSError as e:
        r = errno.errorcode[e.errno]
    print(f"{name} = {r}")
t("rmdir app/d/.", lambda: os.rmdir("app/d/."))
t("rmdir app/d/./", lambda: os.rmdir("app/d/./"))
t("rename app/d/. app/e", lambda: os.rename("app/d/.", "app/e"))
t("mkdir app/n/.", lambda: os.mkdir("app/n/."))
t("stat app/f/.", lambda: os.stat("app/f/."))
t("stat app/f/", lambda: os.stat("app/f/"))
t("open app/f/ for writing", lambda: os.close(os.open("app/f/", os.O_WRONLY)))
t("rmdir BASE/d/.", lambda: os.rmdir(base + "/d/."))
t("rename BASE/d/. BASE/e", lambda: os.rename(base + "/d/.", base + "/e"))
t("mkdir BASE/n/.", lambda: os.mkdir(base + "/n/."))
t("stat BASE/f/.", lambda: os.stat(base + "/f/."))
t("mkdir app/m/", lambda: os.mkdir("app/m/"))
t("rename BASE/d/ BASE/g/", lambda: os.rename(base + "/d/", base + "/g/"))
os.chdir("app/g")
t("in app/g: rmdir .", lambda: os.rmdir("."))
t("in app/g: rmdir ../g/.", lambda: os.rmdir("../g/."))
PY

# setup DIR: the app's tree in DIR.
setup() { rm -rf "$1" && mkdir -p "$1/d" && echo f >"$1/f"; }
tree() { (cd "$1" && find . -mindepth 1 | sort); }

setup native/host/app
run python3 ops.py "$WORK/native/host/app"
expect_ok "native run"
native=$OUT native_tree=$(tree native/host/app)
grep -q "rmdir app/d/. = EINVAL" <<<"$native" || fail "unexpected native results: $native"

app_rules r.toml
for mode in seccomp ptrace; do
  setup snap && rm -rf host && mkdir host
  rd --mode $mode --log log.txt --rules r.toml python3 ops.py "$WORK/host/app"
  expect_ok "python3 ops, --mode $mode"
  expect_eq "every call answers as natively, --mode $mode" "$native" "$OUT"
  expect_eq "the bundle's tree is the native one, --mode $mode" "$native_tree" "$(tree snap)"
  [[ ! -e host/app ]] || fail "the host was written, --mode $mode"

  # A working directory the rule matches, entered before redirect starts: "." is it.
  setup snap && mkdir -p host/app/empty snap/empty
  run sh -c "cd host/app/empty && '$REDIRECT' --mode $mode --rules '$WORK/r.toml' rmdir ."
  expect_status "rmdir . in a matched working directory, --mode $mode" 1
  [[ -d snap/empty ]] || fail "rmdir . removed the bundle's directory, --mode $mode"

  # coreutils: rmdir and mv pass the name as given.
  setup snap
  rd --mode $mode --rules r.toml rmdir "$WORK/host/app/d/."
  expect_status "coreutils rmdir d/., --mode $mode" 1
  [[ -d snap/d ]] || fail "coreutils rmdir d/. removed it, --mode $mode"
  rd --mode $mode --rules r.toml mkdir "$WORK/host/app/n/."
  expect_status "coreutils mkdir n/., --mode $mode" 1
  [[ ! -e snap/n ]] || fail "coreutils mkdir n/. created it, --mode $mode"
done
echo "view-last-dot: ok"
