# figlet (C, fonts in /usr/share/figlet): one round maps the font directory.
source "$(dirname "$0")/lib.bash"
absent /usr/share/figlet /usr/bin/figlet-figlet
bundle figlet
want=$("$BUNDLE/usr/bin/figlet-figlet" -d "$BUNDLE/usr/share/figlet" hello)
works() { [[ $STATUS == 0 && $OUT == "$want" ]]; }
learn 3 works -- "$BUNDLE/usr/bin/figlet-figlet" hello
echo PASS
