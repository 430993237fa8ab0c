#!/usr/bin/env bash
# Splits a question deck (JSON lines) once into a development half and a test
# half by the first hex digit of each line's SHA-1: 0-7 development, 8-f test.
#   scripts/split-deck.sh DECK.jsonl OUTDIR   ->  OUTDIR/NAME.dev.jsonl, OUTDIR/NAME.test.jsonl
# Tune on the .dev half only; of the .test half, read only the figures.
set -euo pipefail
deck=$1 out=$2
name=$(basename "$deck" .jsonl)
: >"$out/$name.dev.jsonl"
: >"$out/$name.test.jsonl"
while IFS= read -r line || [ -n "$line" ]; do
  [ -n "$line" ] || continue
  digit=$(printf '%s' "$line" | sha1sum | cut -c1)
  case $digit in
    [0-7]) printf '%s\n' "$line" >>"$out/$name.dev.jsonl" ;;
    *) printf '%s\n' "$line" >>"$out/$name.test.jsonl" ;;
  esac
done <"$deck"
