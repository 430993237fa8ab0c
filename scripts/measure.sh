#!/usr/bin/env bash
# Measures the release binary's start-to-exit time and peak memory:
#   1. `faqbot ask "视频号怎么注销"`: median wall time of 20 runs, and max RSS,
#      as every start after the first on the same knowledge runs (the trained
#      model of the example questions read from the cache), and as the first
#      start after a change of the knowledge runs (the model trained);
#   2. `faqbot ask --json` over a 10,000-line standard input: total wall time,
#      time per question, and max RSS.
# The cache is a folder of this run's own, not the user's.
# Works from any directory: it runs from the repository root (the parent of
# this script's folder), where the default knowledge/ folder is.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=20
BATCH_LINES=10000
QUESTION="视频号怎么注销"
BIN=target/release/faqbot
TIME=/usr/bin/time

# Questions cycled through to make the batch.
BATCH_QUESTIONS=(
    "视频号怎么注销"
    "how do I undo deletion"
    "冷静期多久"
    "can I get my money out first"
    "注消了还能恢复吗"
    "視頻號怎麼註銷"
    "how to delet my chanels acount"
    "shipinhao zenme zhuxiao"
    "lengjingqi duojiu"
    "注销以后粉丝还在吗"
)

have_gnu_time=1
if [[ ! -x $TIME ]] || ! "$TIME" -f %M -o /dev/null true 2>/dev/null; then
    have_gnu_time=0
    echo "warning: GNU time ($TIME) is missing; peak memory is not measured." >&2
    echo "         Install it with: apt-get install time" >&2
fi

echo "building the release binary..." >&2
cargo build --release --quiet

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ns() { date +%s%N; }

# Milliseconds, with two decimals, from nanoseconds.
ms() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e6 }'; }

# Peak RSS in MB of one run of "$@" (standard input from $STDIN_FILE).
max_rss_mb() {
    if ((have_gnu_time == 0)); then
        echo "n/a"
        return
    fi
    "$TIME" -f %M -o "$tmp/rss" "$@" <"$STDIN_FILE" >/dev/null
    awk '{ printf "%.1f", $1 / 1024 }' "$tmp/rss"
}

export XDG_CACHE_HOME=$tmp/cache

# 1. One question, RUNS times: with the model cached, then trained.
STDIN_FILE=/dev/null
"$BIN" ask "$QUESTION" </dev/null >/dev/null # warm the page cache and the model cache
single() { # single: RUNS runs; sets single_median_ns, single_min_ns, single_max_ns, single_rss
    : >"$tmp/times"
    for ((i = 0; i < RUNS; i++)); do
        start=$(now_ns)
        "$BIN" ask "$QUESTION" </dev/null >/dev/null
        end=$(now_ns)
        echo $((end - start)) >>"$tmp/times"
    done
    single_median_ns=$(sort -n "$tmp/times" | awk '
        { v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    single_min_ns=$(sort -n "$tmp/times" | head -1)
    single_max_ns=$(sort -n "$tmp/times" | tail -1)
    single_rss=$(max_rss_mb "$BIN" ask "$QUESTION")
}
single
cached=("$single_median_ns" "$single_min_ns" "$single_max_ns" "$single_rss")
FAQBOT__KNOWLEDGE__CACHE=false single
trained=("$single_median_ns" "$single_min_ns" "$single_max_ns" "$single_rss")

# 2. A batch of BATCH_LINES questions on standard input, JSON output.
n=${#BATCH_QUESTIONS[@]}
for ((i = 0; i < BATCH_LINES; i++)); do
    printf '%s\n' "${BATCH_QUESTIONS[i % n]}"
done >"$tmp/batch.txt"
STDIN_FILE=$tmp/batch.txt
start=$(now_ns)
"$BIN" ask --json <"$tmp/batch.txt" >"$tmp/batch.out"
end=$(now_ns)
batch_ns=$((end - start))
replies=$(wc -l <"$tmp/batch.out")
if ((replies != BATCH_LINES)); then
    echo "error: expected $BATCH_LINES JSON replies, got $replies" >&2
    exit 1
fi
batch_rss=$(max_rss_mb "$BIN" ask --json)
per_question_us=$(awk -v ns="$batch_ns" -v n="$BATCH_LINES" 'BEGIN { printf "%.1f", ns / n / 1e3 }')

echo
echo "faqbot release binary ($BIN), run from $(pwd)"
echo "single question: \"$QUESTION\"; batch: $BATCH_LINES lines cycling $n questions"
echo
row() { printf '%-36s %18s %10s\n' "$@"; }
row "run" "wall time (ms)" "max RSS"
row "------------------------------------" "------------------" "----------"
row "ask QUESTION, median of $RUNS" "$(ms "${cached[0]}")" "${cached[3]} MB"
row "ask QUESTION, fastest / slowest" "$(ms "${cached[1]}") / $(ms "${cached[2]}")" "-"
row "the same, model trained, median" "$(ms "${trained[0]}")" "${trained[3]} MB"
row "the same, fastest / slowest" "$(ms "${trained[1]}") / $(ms "${trained[2]}")" "-"
row "ask --json, $BATCH_LINES lines, total" "$(ms "$batch_ns")" "$batch_rss MB"
row "ask --json, per question (us)" "$per_question_us" "-"
if ((have_gnu_time == 0)); then
    echo
    echo "max RSS not measured: GNU time is missing. Install it with: apt-get install time"
fi
