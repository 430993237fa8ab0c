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
examples=knowledge/examples
# A deck's half: its test half, or its development half, which is one of the
# knowledge's example files (the model of examples was trained on it).
file() {
    if [[ $half == test ]]; then echo "$blind/$1.test.jsonl"; else echo "$examples/$1.jsonl"; fi
}
for half in test dev; do
    row "in scope, zh ($half)" "$(file inscope-zh)"
    row "in scope, en ($half)" "$(file inscope-en)"
    row "adjacent, zh ($half)" "$(file adjacent-zh)"
    row "adjacent, en ($half)" "$(file adjacent-en)"
    row "scams and look-alikes ($half)" "$(file safety)"
    row "forums ($half)" "$(file forums)"
    row "terse ($half)" "$(file terse)"
    row "second wave ($half)" "$(file second-wave)"
    row "third wave ($half)" "$(file third-wave)"
    row "fourth wave ($half)" "$(file fourth-wave)"
    row "fifth wave ($half)" "$(file fifth-wave)"
    row "sixth wave ($half)" "$(file sixth-wave)"
    row "seventh wave ($half)" "$(file seventh-wave)"
    row "eighth wave ($half)" "$(file eighth-wave)"
    row "ninth wave ($half)" "$(file ninth-wave)"
    row "tenth wave ($half)" "$(file tenth-wave)"
    row "eleventh wave ($half)" "$(file eleventh-wave)"
    row "twelfth wave ($half)" "$(file twelfth-wave)"
    row "thirteenth wave ($half)" "$(file thirteenth-wave)"
    row "fourteenth wave ($half)" "$(file fourteenth-wave)"
    row "fifteenth wave ($half)" "$(file fifteenth-wave)"
    row "sixteenth wave ($half)" "$(file sixteenth-wave)"
    row "seventeenth wave ($half)" "$(file seventeenth-wave)"
    row "eighteenth wave ($half)" "$(file eighteenth-wave)"
    row "nineteenth wave ($half)" "$(file nineteenth-wave)"
    row "twentieth wave ($half)" "$(file twentieth-wave)"
    row "twenty-first wave ($half)" "$(file twenty-first-wave)"
    row "twenty-second wave ($half)" "$(file twenty-second-wave)"
    row "twenty-third wave ($half)" "$(file twenty-third-wave)"
    row "twenty-fourth wave ($half)" "$(file twenty-fourth-wave)"
    row "twenty-fifth wave ($half)" "$(file twenty-fifth-wave)"
    row "twenty-sixth wave ($half)" "$(file twenty-sixth-wave)"
    row "twenty-seventh wave ($half)" "$(file twenty-seventh-wave)"
    row "twenty-eighth wave ($half)" "$(file twenty-eighth-wave)"
    row "twenty-ninth wave ($half)" "$(file twenty-ninth-wave)"
    row "thirtieth wave ($half)" "$(file thirtieth-wave)"
    row "thirty-first wave ($half)" "$(file thirty-first-wave)"
    row "thirty-second wave ($half)" "$(file thirty-second-wave)"
    row "thirty-third wave ($half)" "$(file thirty-third-wave)"
    row "thirty-fourth wave ($half)" "$(file thirty-fourth-wave)"
    row "thirty-fifth wave ($half)" "$(file thirty-fifth-wave)"
    row "thirty-sixth wave ($half)" "$(file thirty-sixth-wave)"
    row "thirty-seventh wave ($half)" "$(file thirty-seventh-wave)"
    row "thirty-eighth wave ($half)" "$(file thirty-eighth-wave)"
    row "thirty-ninth wave ($half)" "$(file thirty-ninth-wave)"
    row "fortieth wave ($half)" "$(file fortieth-wave)"
    row "forty-first wave ($half)" "$(file forty-first-wave)"
    row "forty-second wave ($half)" "$(file forty-second-wave)"
    row "forty-third wave ($half)" "$(file forty-third-wave)"
    row "forty-fourth wave ($half)" "$(file forty-fourth-wave)"
    row "forty-fifth wave ($half)" "$(file forty-fifth-wave)"
    row "forty-sixth wave ($half)" "$(file forty-sixth-wave)"
    row "forty-seventh wave ($half)" "$(file forty-seventh-wave)"
    all=("$(file '*')")
    # shellcheck disable=SC2206
    all=(${all[0]})
    row "**all fifty-three ($half)**" "${all[@]}"
    # The same decks in three groups: the seventeen written first, the
    # fourteen each aimed at one kind of user or message, and the twenty-two in
    # the mix real traffic has.
    first=() aimed=() traffic=()
    for f in "${all[@]}"; do
        case $(basename "$f") in
            twelfth-* | thirteenth-* | fourteenth-* | fifteenth-* | sixteenth-* | seventeenth-* | eighteenth-* | \
                nineteenth-* | twentieth-* | twenty-first-* | twenty-second-* | twenty-third-* | twenty-fourth-* | \
                twenty-fifth-*) aimed+=("$f") ;;
            twenty-sixth-* | twenty-seventh-* | twenty-eighth-* | twenty-ninth-* | thirtieth-* | \
                thirty-first-* | thirty-second-* | thirty-third-* | thirty-fourth-* | \
                thirty-fifth-* | thirty-sixth-* | thirty-seventh-* | \
                thirty-eighth-* | thirty-ninth-* | fortieth-* | forty-first-* | \
                forty-second-* | forty-third-* | forty-fourth-* | forty-fifth-* | \
                forty-sixth-* | forty-seventh-*) traffic+=("$f") ;;
            *) first+=("$f") ;;
        esac
    done
    row "seventeen decks written first ($half)" "${first[@]}"
    row "fourteen decks aimed at one kind of user, twelfth to twenty-fifth ($half)" "${aimed[@]}"
    row "twenty-two decks in real traffic's mix, twenty-sixth to forty-seventh ($half)" "${traffic[@]}"
done
# First contact: each deck measured by a model of the example questions
# trained without that deck's development half.
row "**all fifty-three, development halves left out of the model**" --leave-out $examples/*.jsonl
row "**all fifty-three, test halves, their development halves left out of the model**" --leave-out $blind/*.test.jsonl
row "team: questions.jsonl" tests/data/questions.jsonl
row "team: questions-en.jsonl" tests/data/questions-en.jsonl
row "team: holdout.jsonl" tests/data/holdout.jsonl
row "knowledge writers: validation half" tests/data/writers/validation.jsonl
row "knowledge writers, second round: validation half (untuned)" tests/data/writers/validation-2.jsonl
