#!/usr/bin/env bash
# Words after PROG are PROG's: `redirect cat x --rules f` gives --rules to cat, so redirect has
# no rules, and says why instead of only "--rules FILE is required".
source "$(dirname "$0")/lib/common.bash"

seed_rules seed.toml
rd cat x --rules seed.toml
expect_eq status 125 "$STATUS"
expect_eq message "redirect: --rules FILE is required (the --rules after cat belongs to cat: options after PROG belong to PROG; put redirect's options before it)
Usage: redirect --rules FILE [OPTIONS] [--] PROG [ARGS...]
Run with --help for more information." "$ERR"
echo "options-after-prog ok"
