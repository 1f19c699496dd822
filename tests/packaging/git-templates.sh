# `git init` with templates a bundle ships: the app's template directory
# (/usr/share/APP/templates: the templates of Debian's git package, from its .deb, plus the
# app's own hook) is named by the command, as a packaged script would. git copies a template
# directory by listing it, so the first round's rule (the directory the host lacks, mapped
# whole) must make the listing and every copy come from the bundle. git itself is the host's:
# it is a test dependency here, so the git package cannot be absent from this host.
source "$(dirname "$0")/lib.bash"
command -v git >/dev/null || skip "git is not installed"
app=redirect-git-app
absent "/usr/share/$app"
fetch git
mkdir -p deb "$BUNDLE/usr/share/$app"
dpkg-deb -x "$CACHE"/git_*.deb deb
[[ -d deb/usr/share/git-core/templates ]] || fail "no templates in the git package"
cp -a deb/usr/share/git-core/templates "$BUNDLE/usr/share/$app/templates"
printf '#!/bin/sh\necho "bundled hook"\n' >"$BUNDLE/usr/share/$app/templates/hooks/post-commit"
chmod +x "$BUNDLE/usr/share/$app/templates/hooks/post-commit"
want=$(cd "$BUNDLE/usr/share/$app/templates" && find . | sort)

works() {
  [[ $STATUS == 0 && -x repo/.git/hooks/post-commit ]] || return 1
  # Every template, and only them, copied from the bundle.
  [[ $(cd repo/.git && find description hooks info -print | sed 's|^|./|' | sort) == \
    "$(cd "$BUNDLE/usr/share/$app/templates" && find description hooks info -print | sed 's|^|./|' | sort)" ]]
}
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home  # the repository is not under $HOME
mkdir -p "$HOME"
learn 3 works -- sh -c "rm -rf repo && git -c init.templateDir=/usr/share/$app/templates init -q repo"
[[ $(repo/.git/hooks/post-commit) == "bundled hook" ]] || fail "the app's hook is not the bundle's"
echo PASS
