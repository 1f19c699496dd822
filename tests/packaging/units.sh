# units (C; its definitions in /usr/share/units).
source "$(dirname "$0")/lib.bash"
absent /usr/bin/units /usr/share/units
bundle units
works() { [[ $STATUS == 0 && $OUT == *"1.609344"* ]]; }
learn 3 works -- "$BUNDLE/usr/bin/units" -t "1 mile" "km"
echo PASS
