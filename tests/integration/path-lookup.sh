# PROG is looked up in PATH as execvp(3) and shells do: a same-named file without execute
# permission in an earlier PATH directory is skipped, a later executable one runs; a name with
# a slash is not looked up; a name found nowhere is 127 and one found only without execute
# permission is 126; an empty PATH element is the current directory; an executable file with
# neither #! nor an ELF header (ENOEXEC) is run by /bin/sh with its arguments. redirect works
# the search out itself (spawn.cpp: its CLONE_VM child cannot call execvp), so each case is
# compared with what execvp does natively.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
mkdir d1 d2 d3
printf '#!/bin/sh\necho from d1\n' >d1/myprog
printf '#!/bin/sh\necho from d2\n' >d2/myprog
printf '#!/bin/sh\necho from d3\n' >d3/onlyread
chmod 644 d1/myprog d3/onlyread
chmod 755 d2/myprog
path=$WORK/d1:$WORK/d2:$WORK/d3:$PATH

run env PATH="$path" myprog
expect_eq "native lookup" "from d2" "$OUT"
PATH=$path rd --rules r.toml myprog
expect_ok "redirect myprog"
expect_eq "PATH lookup skips the non-executable d1/myprog" "from d2" "$OUT"

PATH=$path rd --rules r.toml onlyread
expect_status "a name found only without execute permission" 126

PATH=$path rd --rules r.toml redirect-surely-not-anywhere
expect_status "a name found nowhere" 127

cd d2
PATH=/usr/bin:/bin rd --rules ../r.toml myprog
expect_status "a bare name is not looked up in the current directory" 127
PATH=/usr/bin:/bin rd --rules ../r.toml ./myprog
expect_ok "./myprog"
expect_eq "a name with a slash runs as is" "from d2" "$OUT"

# ENOEXEC: no #! line. execvp hands it to /bin/sh; so must we, arguments included.
printf 'echo "noshebang $# [$1] [$2]"\n' >noshebang
chmod 755 noshebang
run env PATH="$WORK/d2:/usr/bin:/bin" noshebang "a b" c
expect_eq "native: execvp runs it with /bin/sh" "noshebang 2 [a b] [c]" "$OUT"
PATH="$WORK/d2:/usr/bin:/bin" rd --rules ../r.toml noshebang "a b" c
expect_ok "a script without #!"
expect_eq "a script without #! runs with /bin/sh and its arguments" "noshebang 2 [a b] [c]" "$OUT"

# An empty element (here the leading ':') is the current directory.
run env PATH=":/usr/bin:/bin" myprog
expect_eq "native: empty PATH element" "from d2" "$OUT"
PATH=":/usr/bin:/bin" rd --rules ../r.toml myprog
expect_ok "empty PATH element"
expect_eq "an empty PATH element is the current directory" "from d2" "$OUT"
echo PASS
