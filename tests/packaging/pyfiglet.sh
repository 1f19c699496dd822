# python3-pyfiglet: Python finds a package by listing each sys.path directory, so the bundle's
# /usr/lib/python3/dist-packages/pyfiglet is seen only when that directory is mapped whole. The
# rule says which of the host's packages it hides, and the bundle carries the one pyfiglet
# needs from there (python3-pkg-resources), as a packager's would; Debian's pyfiglet
# reads the fonts of figlet (/usr/share/figlet), bundled too.
source "$(dirname "$0")/lib.bash"
python=/usr/bin/python3
[[ -x $python ]] || skip "$python (Debian's python3) is not installed"
absent /usr/lib/python3/dist-packages/pyfiglet /usr/bin/pyfiglet /usr/share/figlet
bundle python3-pyfiglet python3-pkg-resources figlet
works() { [[ $STATUS == 0 && $OUT == *"|_|"* ]]; }
learn 3 works -- "$python" "$BUNDLE/usr/bin/pyfiglet" hi
grep -q "^# hides: the host's /usr/lib/python3/dist-packages (" "$RULES" ||
  fail "the dist-packages rule does not say what it hides: $(cat "$RULES")"
echo "$OUT"
echo PASS
