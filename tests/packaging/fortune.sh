# fortune (C) with librecode0, a library the host lacks, and its fortunes (fortunes-min) in
# /usr/share/games/fortunes: the library gets a rule of its own that matches both its /lib and
# /usr/lib spellings (never /usr/lib/x86_64-linux-gnu as a whole), the fortunes directory one
# (never /usr/share/games).
source "$(dirname "$0")/lib.bash"
absent /usr/games/fortune /usr/share/games/fortunes
compgen -G "/usr/lib/*/librecode.so.0*" >/dev/null && skip "librecode0 is installed on this host"
bundle fortune-mod fortunes-min librecode0
works() { [[ $STATUS == 0 && -n $OUT ]]; }
learn 4 works -- "$BUNDLE/usr/games/fortune" -s
grep -q "^match = '^/usr/share/games(/" "$RULES" && fail "a rule hides /usr/share/games"
grep -q "x86_64-linux-gnu(/" "$RULES" && fail "a rule hides the multiarch directory"
echo "$OUT"
echo PASS
