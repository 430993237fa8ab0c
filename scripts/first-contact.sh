#!/usr/bin/env bash
# First-contact figures: how the engine of today does on decks the knowledge
# had never seen. Each group of blind decks is measured with the knowledge
# (entries, synonyms, cues) as it was in git before those decks were written,
# and with a model of the example questions trained without the deck's own
# development half (`faqbot eval --leave-out`), then again with the model
# turned off. Only development halves are measured: no test line is printed.
#   bash scripts/first-contact.sh        # builds the release binary first
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
BIN=target/release/faqbot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The knowledge at COMMIT, with today's example questions, in DIR.
snapshot() {
    mkdir -p "$2"
    git archive "$1" knowledge | tar -x -C "$2"
    rm -rf "$2/knowledge/examples"
    cp -r knowledge/examples "$2/knowledge/"
}

row() {
    local name=$1 commit=$2
    shift 2
    local kb=$tmp/$commit
    [[ -d $kb ]] || snapshot "$commit" "$kb"
    local files=()
    for deck in "$@"; do files+=("knowledge/examples/$deck.jsonl"); done
    figures() {
        "$BIN" eval --summary --leave-out --knowledge "$kb/knowledge" "${files[@]}" |
            awk '$1 == "all" { printf "%s | %s | %s | %s", $3, $4, $7, $8 }'
    }
    with=$(figures)
    without=$(FAQBOT__MATCHER__EXAMPLE_ANSWER=1 FAQBOT__MATCHER__EXAMPLE_VETO=1 \
        FAQBOT__MATCHER__EXAMPLE_SWITCH=1 FAQBOT__MATCHER__EXAMPLE_RESCUE=1 \
        FAQBOT__MATCHER__EXAMPLE_ENDORSE=1 FAQBOT__MATCHER__EXAMPLE_SCAM=1 \
        FAQBOT__MATCHER__EXAMPLE_NOT_SCAM=1 FAQBOT__MATCHER__EXAMPLE_TURN_AWAY=1 \
        FAQBOT__MATCHER__EXAMPLE_NOT_SCAM_OFF_TOPIC=1 figures)
    echo "| $name, knowledge of $commit | $with | $without |"
}

echo "| decks (development halves) | top-1 | useful | rejected | harm | without the model: top-1 | useful | rejected | harm |"
echo "|---|---|---|---|---|---|---|---|---|"
row "forty-fourth to forty-seventh wave" cb01573 forty-fourth-wave forty-fifth-wave forty-sixth-wave forty-seventh-wave
row "fortieth to forty-third wave" 3304b22 fortieth-wave forty-first-wave forty-second-wave forty-third-wave
row "thirty-seventh to thirty-ninth wave" 530059e thirty-seventh-wave thirty-eighth-wave thirty-ninth-wave
row "thirty-fifth and thirty-sixth wave" be2de2d thirty-fifth-wave thirty-sixth-wave
row "thirty-first to thirty-fourth wave" 06e14d7 \
    thirty-first-wave thirty-second-wave thirty-third-wave thirty-fourth-wave
row "twelfth to twenty-fifth wave" 011b95e \
    twelfth-wave thirteenth-wave fourteenth-wave fifteenth-wave sixteenth-wave seventeenth-wave \
    eighteenth-wave nineteenth-wave twentieth-wave twenty-first-wave twenty-second-wave \
    twenty-third-wave twenty-fourth-wave twenty-fifth-wave
row "seventh to ninth wave" 521b46e seventh-wave eighth-wave ninth-wave
row "fifth wave" 686b4ab fifth-wave
