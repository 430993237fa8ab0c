#!/usr/bin/env bash
# Splits a question deck (JSON lines) once into a development half and a test
# half by the first hex digit of each line's SHA-1: 0-7 development, 8-f test.
#   scripts/split-deck.sh DECK.jsonl [DEVDIR TESTDIR]
#     -> DEVDIR/NAME.jsonl (default knowledge/examples: the development half
#        becomes example questions the matcher's model learns from)
#        TESTDIR/NAME.test.jsonl (default tests/data/blind)
# Tune on the development half only; of the test half, read only the figures.
set -euo pipefail
deck=$1
dev=${2:-knowledge/examples}
test=${3:-tests/data/blind}
name=$(basename "$deck" .jsonl)
: >"$dev/$name.jsonl"
: >"$test/$name.test.jsonl"
while IFS= read -r line || [ -n "$line" ]; do
  [ -n "$line" ] || continue
  digit=$(printf '%s' "$line" | sha1sum | cut -c1)
  case $digit in
    [0-7]) printf '%s\n' "$line" >>"$dev/$name.jsonl" ;;
    *) printf '%s\n' "$line" >>"$test/$name.test.jsonl" ;;
  esac
done <"$deck"
