# examples/deny-ssh.toml end to end: under the rules, reading, listing, changing into and
# writing ~/.ssh and ~/.gnupg fail with "Permission denied" while the rest of the home works;
# the keys are unchanged afterwards. A path with ".." in it is matched as the program means it
# (~/projects/../.ssh is ~/.ssh), so it is denied too.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

export HOME=$WORK/home
mkdir -p "$HOME/.ssh" "$HOME/.gnupg" "$HOME/projects"
echo "PRIVATE KEY" >"$HOME/.ssh/id_ed25519"
echo "ssh-ed25519 AAAA user@host" >"$HOME/.ssh/authorized_keys"
echo "keyring" >"$HOME/.gnupg/pubring.kbx"
echo "notes" >"$HOME/projects/notes.txt"
rules=$(example_rules deny-ssh)
before=$(tree_state "$HOME")

rd --rules "$rules" -- cat "$HOME/.ssh/id_ed25519"
expect_status "cat a key" 1
expect_eq "cat a key" "cat: $HOME/.ssh/id_ed25519: Permission denied" "$ERR"
rd --rules "$rules" -- ls "$HOME/.gnupg"
expect_status "ls ~/.gnupg" 2
[[ $ERR == *"$HOME/.gnupg"*"Permission denied"* ]] || fail "ls ~/.gnupg: $ERR"
rd --rules "$rules" -- sh -c 'echo "ssh-rsa EVIL" >>"$HOME/.ssh/authorized_keys"'
[[ $STATUS != 0 && $ERR == *"Permission denied"* ]] ||
  fail "appending to authorized_keys: status $STATUS, stderr: $ERR"
# dash's message for a failed cd names no errno: the decision log shows it.
if backend_refuses --log -; then
  rd --rules "$rules" -- sh -c 'cd "$HOME/.ssh" 2>/dev/null || exit 42'
  expect_status "cd ~/.ssh fails" 42
else
  rd --log - --rules "$rules" -- sh -c 'cd "$HOME/.ssh"'
  [[ $STATUS != 0 && $ERR == *"chdir[0] deny \"$HOME/.ssh\" EACCES rule 'no-keys'"* ]] ||
    fail "cd ~/.ssh: status $STATUS, stderr: $ERR"
fi
rd --rules "$rules" -- sh -c 'cd "$HOME" && cat .ssh/id_ed25519'
[[ $STATUS != 0 && $ERR == *".ssh/id_ed25519: Permission denied"* ]] ||
  fail "cat .ssh/id_ed25519 from the home: status $STATUS, stderr: $ERR"
rd --rules "$rules" -- mv "$HOME/.ssh" "$HOME/ssh-moved"
[[ $STATUS != 0 && $ERR == *"Permission denied"* ]] || fail "mv ~/.ssh: status $STATUS, stderr: $ERR"

# Everything else in the home works as usual, including names that only start like the keys'.
rd --rules "$rules" -- cat "$HOME/projects/notes.txt"
expect_ok "cat another file"
expect_eq "another file" notes "$OUT"
echo "not keys" >"$HOME/.sshrc"
rd --rules "$rules" -- cat "$HOME/.sshrc"
expect_ok "cat ~/.sshrc"
expect_eq "~/.sshrc is not ~/.ssh/" "not keys" "$OUT"
rm "$HOME/.sshrc"

# explain says which rule decides.
rd explain --rules "$rules" openat "$HOME/.ssh/id_ed25519"
expect_ok "explain"
line=$(grep -n '^\[\[rule\]\]' "$rules" | head -1 | cut -d: -f1)
expect_eq "explain" "openat arg 1 \"$HOME/.ssh/id_ed25519\": deny by rule 'no-keys' ($rules:$line):\
 the call fails with EACCES (Permission denied)" "$OUT"

# ".." is resolved before matching, as the kernel walks it.
rd --rules "$rules" -- cat "$HOME/projects/../.ssh/id_ed25519"
expect_status "cat through .." 1
expect_eq "through .." "cat: $HOME/projects/../.ssh/id_ed25519: Permission denied" "$ERR"

expect_eq "the keys are unchanged" "$before" "$(tree_state "$HOME")"
echo PASS
