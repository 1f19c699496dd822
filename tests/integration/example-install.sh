# What `cmake --install --strip` puts under a prefix (a stripped binary, a gzip-compressed man
# page, Debian's copyright file), and that the documentation installed with the binary agrees
# with it: the man page renders without groff warnings, carries the binary's
# version and names every option the subcommands' --help prints; the bash completion loads,
# offers every such option and completes syscall names. (Named example-* because the files it
# checks belong with the examples' documentation; it needs no ptrace.)
set -euo pipefail
: "${REDIRECT:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/redirect-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
prefix=$WORK/prefix

cmake --install "$BUILDDIR" --prefix "$prefix" --strip >"$WORK/install.log" 2>&1 ||
  fail "cmake --install: $(cat "$WORK/install.log")"
for f in bin/redirect share/man/man1/redirect.1.gz share/bash-completion/completions/redirect \
  share/redirect/schema/rules.schema.json share/doc/redirect/examples/seed.toml \
  share/doc/redirect/copyright; do
  [[ -f $prefix/$f ]] || fail "not installed: $f"
done
[[ -f $SRCDIR/LICENSE ]] || fail "no LICENSE in the source tree"
grep -q '^License: Expat' "$prefix/share/doc/redirect/copyright" ||
  fail "the copyright file does not give redirect's licence"
if command -v readelf >/dev/null; then
  ! readelf -S "$prefix/bin/redirect" | grep -q '\.debug_' || fail "installed binary has debug info"
fi
if [[ -f $BUILDDIR/CPackConfig.cmake ]]; then
  ! grep -q 'example\.invalid' "$BUILDDIR/CPackConfig.cmake" || fail "placeholder maintainer"
  grep -q 'CPACK_STRIP_FILES "ON"' "$BUILDDIR/CPackConfig.cmake" || fail ".deb not stripped"
fi
for example in "$SRCDIR"/examples/*.toml; do
  cmp -s "$example" "$prefix/share/doc/redirect/examples/${example##*/}" ||
    fail "example not installed: ${example##*/}"
done
# The installed documents' relative links reach installed files, as they do in the tree.
doc=$prefix/share/doc/redirect
for md in README.md docs/rules.md docs/trace.md; do
  [[ -f $doc/$md ]] || fail "not installed: share/doc/redirect/$md"
done
for md in docs/rules.md docs/trace.md; do
  while IFS= read -r target; do
    target=${target%%#*}
    [[ -z $target || $target == *://* ]] && continue
    [[ -e $(dirname "$doc/$md")/$target ]] ||
      fail "installed $md links to $target, which is not installed there"
  done < <(grep -oE '\]\([^)]+\)' "$doc/$md" | sed -E 's/^\]\((.*)\)$/\1/')
done
version=$("$prefix/bin/redirect" --version)
[[ $version == "redirect "* ]] || fail "installed binary: --version printed '$version'"

# Every long option of every subcommand's --help, e.g. "--rules" (CLI11 lists them indented,
# first on their line; the examples in the footers are not options).
options=$( ("$REDIRECT" --help; "$REDIRECT" lint --help; "$REDIRECT" explain --help
  "$REDIRECT" trace --help) |
  grep -E '^ +-' | grep -oE '(^|[ ,])--[a-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u)
[[ $options == *--rules* && $options == *--strict* && $options == *--arg* &&
  $options == *--suggest* ]] ||
  fail "could not read the options from --help: $options"

man=$WORK/redirect.1
gzip -dc "$prefix/share/man/man1/redirect.1.gz" >"$man" || fail "the man page is not gzip"
th_version=$(sed -n 's/^\.TH REDIRECT 1 [^ ]* "redirect \([^"]*\)".*/\1/p' "$man")
[[ "redirect $th_version" == "${version%% (*}" ]] ||
  fail "man page .TH says version '$th_version', the binary '$version'"
for o in $options; do
  # roff spells each "-" of an option as "\-".
  grep -qF -- "$(sed 's/-/\\-/g' <<<"$o")" "$man" || fail "the man page does not document $o"
done
if command -v groff >/dev/null; then
  warnings=$(groff -man -ww -z "$man" 2>&1) || fail "groff failed on the man page"
  [[ -z $warnings ]] || fail "groff warnings on the man page: $warnings"
fi

completion=$prefix/share/bash-completion/completions/redirect
for o in $options; do
  grep -qE -- "(^|[ \"])$o( |\$|\))" "$completion" || fail "the completion does not offer $o"
done
# Complete in a fresh bash that has only the installed file: COMPREPLY for a command line.
complete_line() {
  bash --norc --noprofile -c 'source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _redirect; printf "%s\n" "${COMPREPLY[@]}" | sort' \
    _ "$completion" "$@"
}
[[ $(complete_line redirect explain -r a.toml opena) == $'openat\nopenat2' ]] ||
  fail "explain SYSCALL completion: $(complete_line redirect explain -r a.toml opena)"
[[ $(complete_line redirect lint --format '') == $'json\ntext' ]] || fail "lint --format completion"
[[ $(complete_line redirect --mode '') == $'ptrace\nseccomp' ]] || fail "--mode completion"
[[ $(complete_line redirect expl) == *explain* ]] || fail "subcommand completion"
[[ $(complete_line redirect tra) == *trace* ]] || fail "trace subcommand completion"
[[ $(complete_line redirect trace --format '') == $'json\ntext' ]] || fail "trace --format completion"
[[ $(complete_line redirect trace --sugg) == --suggest ]] || fail "trace --suggest completion"
echo PASS
