# cowsay (a Perl script; cows in /usr/share/cowsay) with Text::CharWidth, an XS module the
# host lacks (libtext-charwidth-perl: a .pm in Perl's versioned vendor directory and its .so
# under auto/): Perl looks each module up by name in every @INC directory, so per-file rules
# find them without hiding the host's Perl modules.
source "$(dirname "$0")/lib.bash"
command -v perl >/dev/null || skip "perl is not installed"
absent /usr/games/cowsay /usr/share/cowsay
perl -MText::CharWidth -e1 2>/dev/null && skip "Text::CharWidth is installed on this host"
bundle cowsay libtext-charwidth-perl
works() { [[ $STATUS == 0 && $OUT == *"< moo >"* && $OUT == *"(oo)"* ]]; }
learn 4 works -- "$BUNDLE/usr/games/cowsay" moo
echo "$OUT"
echo PASS
