# examples/git-dotfiles.toml end to end: `git config --global` run under redirect reads and
# writes its settings in $SNAP_USER_DATA, while the user's real home (HOME, with a .gitconfig
# of its own) stays byte for byte as it was.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

command -v git >/dev/null || skip "git is not installed (scripts/install-deps installs it)"
snap_tree git
export HOME=$WORK/realhome
unset XDG_CONFIG_HOME GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM GIT_CONFIG_NOSYSTEM GIT_DIR
# $WORK may be inside a repository (a build directory in the source tree): do not read its
# .git/config.
export GIT_CEILING_DIRECTORIES=$(dirname "$WORK")
mkdir -p "$HOME/.config"
printf '[user]\n\tname = Real Person\n' >"$HOME/.gitconfig"
rules=$(example_rules git-dotfiles)
home_before=$(tree_state "$HOME")

# The snap's own settings start empty: the real home's name is not visible.
rd --rules "$rules" -- git config --global user.name
expect_status "get user.name before any set" 1
expect_eq "nothing printed" "" "$OUT"

rd --rules "$rules" -- git config --global user.name "Snap Tester"
expect_ok "git config --global user.name (set)"
rd --rules "$rules" -- git config --global user.email tester@example.com
expect_ok "git config --global user.email (set)"
rd --rules "$rules" -- git config --global --list
expect_ok "git config --global --list"
expect_eq "settings read back under redirect" \
  $'user.name=Snap Tester\nuser.email=tester@example.com' "$OUT"

expect_eq "the file git wrote, in \$SNAP_USER_DATA" \
  $'[user]\n\tname = Snap Tester\n\temail = tester@example.com' "$(cat "$SNAP_USER_DATA/.gitconfig")"
[[ ! -e $SNAP_USER_DATA/.gitconfig.lock ]] || fail "git's lock file was left behind"

# git writes .gitconfig.lock and renames it over .gitconfig: both of rename's paths are
# rewritten, so the rename stays inside $SNAP_USER_DATA.
log=(--log -)
backend_refuses --log - && log=()
rd "${log[@]}" --rules "$rules" -- git config --global core.pager cat
expect_ok "git config --global core.pager (set, logged)"
for arg in "0] rewrite \"$HOME/.gitconfig.lock\" -> \"$SNAP_USER_DATA/.gitconfig.lock\"" \
  "1] rewrite \"$HOME/.gitconfig\" -> \"$SNAP_USER_DATA/.gitconfig\""; do
  ((${#log[@]} == 0)) || [[ $ERR == *"rename[$arg rule 'gitconfig'"* ]] ||
    fail "no 'rename[$arg' in the log: $ERR"
done
grep -q 'pager = cat' "$SNAP_USER_DATA/.gitconfig" || fail "core.pager is not in \$SNAP_USER_DATA/.gitconfig"

# The XDG file: git reads it as well, from $SNAP_USER_DATA/.config/git/config. (Without
# --global: git 2.39's --global reads only ~/.gitconfig once that exists.)
mkdir -p "$SNAP_USER_DATA/.config/git"
printf '[core]\n\teditor = snap-editor\n' >"$SNAP_USER_DATA/.config/git/config"
rd --rules "$rules" -- git config --get core.editor
expect_ok "core.editor from the XDG file"
expect_eq "core.editor" "snap-editor" "$OUT"

# Outside redirect, git still sees only the real home.
run git config --global --list
expect_ok "native git config --global --list"
expect_eq "real home's settings" "user.name=Real Person" "$OUT"
expect_eq "the real home is untouched" "$home_before" "$(tree_state "$HOME")"
echo PASS
