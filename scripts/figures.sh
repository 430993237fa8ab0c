#!/usr/bin/env bash
# Prints the README's accuracy table: each blind deck's development and test
# halves, and the team's own sets, through `faqbot eval --summary` (figures
# only: the lines of a test half are never printed).
#   bash scripts/figures.sh            # builds the release binary first
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
BIN=target/release/faqbot

# One table row from `eval --summary` of the files given.
row() {
    local name=$1
    shift
    "$BIN" eval --summary "$@" | awk -v name="$name" '
        $1 == "all" { top1 = $3; useful = $4; n_in = $5; n_out = $6; rejected = $7; harm = $8 }
        $1 == "zh" { zh = $3 " / " $7 }
        $1 == "en" { en = $3 " / " $7 }
        /^scam warning:/ {
            split($0, parts, ";"); sub(/.*all: /, "", parts[1]); scam = parts[1]
            sub(/^ */, "", scam)
        }
        END {
            if (scam == "") scam = "-"
            printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, n_in "+" n_out, top1, useful, rejected, harm, zh " · " en, scam
        }'
}

echo "| deck (half) | lines in+out | top-1 | useful | rejected | harm | zh · en (top-1 / rejected) | scam warning (scams; look-alikes) |"
echo "|---|---|---|---|---|---|---|---|"
blind=tests/data/blind
for half in test dev; do
    row "in scope, zh ($half)" $blind/inscope-zh.$half.jsonl
    row "in scope, en ($half)" $blind/inscope-en.$half.jsonl
    row "adjacent, zh ($half)" $blind/adjacent-zh.$half.jsonl
    row "adjacent, en ($half)" $blind/adjacent-en.$half.jsonl
    row "scams and look-alikes ($half)" $blind/safety.$half.jsonl
    row "forums ($half)" $blind/forums.$half.jsonl
    row "terse ($half)" $blind/terse.$half.jsonl
    row "second wave ($half)" $blind/second-wave.$half.jsonl
    row "third wave ($half)" $blind/third-wave.$half.jsonl
    row "fourth wave ($half)" $blind/fourth-wave.$half.jsonl
    row "fifth wave ($half)" $blind/fifth-wave.$half.jsonl
    row "sixth wave ($half)" $blind/sixth-wave.$half.jsonl
    row "seventh wave ($half)" $blind/seventh-wave.$half.jsonl
    row "eighth wave ($half)" $blind/eighth-wave.$half.jsonl
    row "ninth wave ($half)" $blind/ninth-wave.$half.jsonl
    row "tenth wave ($half)" $blind/tenth-wave.$half.jsonl
    row "eleventh wave ($half)" $blind/eleventh-wave.$half.jsonl
    row "twelfth wave ($half)" $blind/twelfth-wave.$half.jsonl
    row "thirteenth wave ($half)" $blind/thirteenth-wave.$half.jsonl
    row "fourteenth wave ($half)" $blind/fourteenth-wave.$half.jsonl
    row "fifteenth wave ($half)" $blind/fifteenth-wave.$half.jsonl
    row "sixteenth wave ($half)" $blind/sixteenth-wave.$half.jsonl
    row "seventeenth wave ($half)" $blind/seventeenth-wave.$half.jsonl
    row "eighteenth wave ($half)" $blind/eighteenth-wave.$half.jsonl
    row "nineteenth wave ($half)" $blind/nineteenth-wave.$half.jsonl
    row "twentieth wave ($half)" $blind/twentieth-wave.$half.jsonl
    row "twenty-first wave ($half)" $blind/twenty-first-wave.$half.jsonl
    row "twenty-second wave ($half)" $blind/twenty-second-wave.$half.jsonl
    row "twenty-third wave ($half)" $blind/twenty-third-wave.$half.jsonl
    row "twenty-fourth wave ($half)" $blind/twenty-fourth-wave.$half.jsonl
    row "twenty-fifth wave ($half)" $blind/twenty-fifth-wave.$half.jsonl
    row "twenty-sixth wave ($half)" $blind/twenty-sixth-wave.$half.jsonl
    row "twenty-seventh wave ($half)" $blind/twenty-seventh-wave.$half.jsonl
    row "twenty-eighth wave ($half)" $blind/twenty-eighth-wave.$half.jsonl
    row "twenty-ninth wave ($half)" $blind/twenty-ninth-wave.$half.jsonl
    row "thirtieth wave ($half)" $blind/thirtieth-wave.$half.jsonl
    row "**all thirty-six ($half)**" $blind/*.$half.jsonl
    # The same decks in three groups: the seventeen written first, the
    # fourteen each aimed at one kind of user or message, and the five in
    # the mix real traffic has.
    first=() aimed=() traffic=()
    for f in $blind/*.$half.jsonl; do
        case $(basename "$f") in
            twelfth-* | thirteenth-* | fourteenth-* | fifteenth-* | sixteenth-* | seventeenth-* | eighteenth-* | \
                nineteenth-* | twentieth-* | twenty-first-* | twenty-second-* | twenty-third-* | twenty-fourth-* | \
                twenty-fifth-*) aimed+=("$f") ;;
            twenty-sixth-* | twenty-seventh-* | twenty-eighth-* | twenty-ninth-* | thirtieth-*) traffic+=("$f") ;;
            *) first+=("$f") ;;
        esac
    done
    row "seventeen decks written first ($half)" "${first[@]}"
    row "fourteen decks aimed at one kind of user, twelfth to twenty-fifth ($half)" "${aimed[@]}"
    row "five decks in real traffic's mix, twenty-sixth to thirtieth ($half)" "${traffic[@]}"
done
row "team: questions.jsonl" tests/data/questions.jsonl
row "team: questions-en.jsonl" tests/data/questions-en.jsonl
row "team: holdout.jsonl" tests/data/holdout.jsonl
row "knowledge writers: validation half" tests/data/writers/validation.jsonl
row "knowledge writers, second round: validation half (untuned)" tests/data/writers/validation-2.jsonl
