#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs taken from the repository:
# the question sets, the knowledge files, button data and commands.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/match_text corpus/knowledge_toml corpus/callback_command corpus/free_text
i=0
grep -ho '"q": *"[^"]*"' ../tests/data/questions.jsonl | sed 's/^"q": *"//; s/"$//' |
    while IFS= read -r q; do
        i=$((i + 1))
        printf '%s' "$q" > "corpus/match_text/q$i"
    done
printf '注\u200b销\u202e视频号😭😭 \x07' > corpus/match_text/invisible
cp ../knowledge/*.toml corpus/knowledge_toml/
for data in t:zh:overview t:en:undo-deletion a:en a:zh t:zh: +:en:overview -:zh:cooling-off \
    m:en:step-find-entry g:0123456789ab:overview x:0123456789ab "/start undo-deletion" "/lang en" \
    "/help@faq_test_bot" "/help@OtherBot" "/reload" "/stats now"; do
    printf '%s' "$data" > "corpus/callback_command/$(printf '%s' "$data" | od -An -tx1 | tr -d ' \n')"
done
printf '\x00https://bot.example.org/hook\x1f127.0.0.1:8443\x1fabc_-1' > corpus/free_text/settings
printf '\x01shipinhao zenme zhuxiao' > corpus/free_text/pinyin
printf '\x02<b>注销</b> & "undo"\n\nsecond paragraph 😭' > corpus/free_text/split
