#!/usr/bin/env bash
# Compares the speed of `faqbot ask --json` over a 10,000-line batch between
# an older commit and the working tree, side by side in one run:
#
#   scripts/compare-speed.sh [BASE]        # BASE: a commit (default b421dc3)
#
# 1. Builds BASE's release binary in a temporary git worktree of this
#    repository under the cargo target directory (no network needed), and
#    keeps that binary and BASE's knowledge/ folder in
#    TARGET/compare-speed/<commit>/, so a second run skips the build.
# 2. Builds the working tree's release binary.
# 3. Makes the batch: every question ("q") of tests/data/*.jsonl and
#    knowledge/examples/*.jsonl, the development halves (never the *.test.jsonl halves), in file
#    order, cycled to BATCH_LINES lines. Both binaries get the same batch,
#    each with its own knowledge.
# 4. Runs the two binaries alternately (base, current, base, current, …)
#    RUNS times each after one warm-up run each, and prints the median, the
#    fastest and the slowest wall time of each, the median CPU time (user +
#    system), and the ratios of the medians (base / current: above 1 means
#    the working tree is faster). The working tree answers the batch on
#    every core (`ask --jobs`); JOBS=1 measures it on one thread, as the
#    base binary always runs. The working tree reads its trained model of
#    the example questions from a cache folder of this run's own, which its
#    warm-up run fills (`knowledge.cache`), as every start after the first
#    on the same knowledge does; CACHE=0 makes it train the model at every
#    start instead, as after every change of the knowledge.
#
# Settings (environment): RUNS (default 11), BATCH_LINES (default 10000),
# JOBS (the working tree's --jobs; default: its own, one per core), CACHE
# (0: no cache of the trained model),
# BATCH (a file to use as the batch instead of making one), CARGO_TARGET_DIR.
# Works from any directory: it runs from the repository root.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BASE=${1:-b421dc3}
RUNS=${RUNS:-11}
BATCH_LINES=${BATCH_LINES:-10000}

if ! base_rev=$(git rev-parse --verify --quiet "$BASE^{commit}"); then
    echo "error: '$BASE' is not a commit of this repository" >&2
    exit 1
fi
base_short=$(git rev-parse --short=12 "$base_rev")

# The cargo target directory, absolute (CARGO_TARGET_DIR or ./target).
target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir = /* ]] || target_dir=$PWD/$target_dir
mkdir -p "$target_dir/compare-speed"
base_dir=$target_dir/compare-speed/$base_short

tmp=$(mktemp -d)
worktree=""
cleanup() {
    if [[ -n $worktree ]]; then
        git worktree remove --force "$worktree" >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# 1. The base binary and its knowledge. Both builds share the target
#    directory (the dependencies are built once); the base's binary is
#    copied out before the working tree's build replaces it.
if [[ ! -x $base_dir/faqbot || ! -d $base_dir/knowledge ]]; then
    echo "building $base_short in a temporary worktree..." >&2
    worktree=$target_dir/compare-speed/worktree-$base_short
    git worktree remove --force "$worktree" >/dev/null 2>&1 || rm -rf "$worktree"
    git worktree prune
    git worktree add --quiet --detach "$worktree" "$base_rev"
    (cd "$worktree" && CARGO_TARGET_DIR=$target_dir cargo build --release --quiet --bin faqbot)
    rm -rf "$base_dir"
    mkdir -p "$base_dir"
    cp "$target_dir/release/faqbot" "$base_dir/faqbot"
    cp -R "$worktree/knowledge" "$base_dir/knowledge"
    git worktree remove --force "$worktree"
    worktree=""
fi

# 2. The working tree's binary.
echo "building the working tree..." >&2
CARGO_TARGET_DIR=$target_dir cargo build --release --quiet --bin faqbot
current_bin=$tmp/faqbot-current
cp "$target_dir/release/faqbot" "$current_bin"

# 3. The batch.
batch=$tmp/batch.txt
if [[ -n ${BATCH:-} ]]; then
    cp "$BATCH" "$batch"
else
    questions=$tmp/questions.txt
    files=$(LC_ALL=C ls tests/data/*.jsonl knowledge/examples/*.jsonl)
    # One question per line: line breaks inside a question become spaces.
    # shellcheck disable=SC2086
    if command -v jq >/dev/null; then
        jq -r '.q | gsub("[\r\n]+"; " ")' $files >"$questions"
    else
        python3 -c '
import json, re, sys
for name in sys.argv[1:]:
    for line in open(name, encoding="utf-8"):
        if line.strip():
            print(re.sub(r"[\r\n]+", " ", json.loads(line)["q"]))
' $files >"$questions"
    fi
    n=$(wc -l <"$questions")
    if ((n == 0)); then
        echo "error: no questions in tests/data" >&2
        exit 1
    fi
    awk -v lines="$BATCH_LINES" '{ q[NR] = $0 } END { for (i = 0; i < lines; i++) print q[i % NR + 1] }' \
        "$questions" >"$batch"
fi
lines=$(wc -l <"$batch")

# The working tree answers a batch on every core unless JOBS says how many
# threads (`ask --jobs`); the base binary has no such option.
current_args=()
if [[ -n ${JOBS:-} ]]; then
    current_args=(--jobs "$JOBS")
fi

# The working tree's settings: its own cache folder, or none. (The base
# binary knows no such setting and would refuse it.)
current_env=(XDG_CACHE_HOME="$tmp/cache")
if [[ ${CACHE:-1} = 0 ]]; then
    current_env+=(FAQBOT__KNOWLEDGE__CACHE=false)
fi

# 4. Alternate runs. Each run's wall time in seconds (bash's `time`).
run() { # run NAME BINARY KNOWLEDGE [ARGUMENT...]
    local name=$1 binary=$2 knowledge=$3
    shift 3
    local out=$tmp/$name.out
    local TIMEFORMAT="%R %U %S"
    local vars=()
    if [[ $name = current ]]; then
        vars=("${current_env[@]}")
    fi
    { time env "${vars[@]}" "$binary" --knowledge "$knowledge" ask --json "$@" <"$batch" >"$out"; } 2>>"$tmp/$name.times"
    local replies
    replies=$(wc -l <"$out")
    if ((replies != lines)); then
        echo "error: $name printed $replies replies for $lines lines" >&2
        exit 1
    fi
}
: >"$tmp/base.times"
: >"$tmp/current.times"
run base "$base_dir/faqbot" "$base_dir/knowledge"
run current "$current_bin" knowledge "${current_args[@]}"
: >"$tmp/base.times"
: >"$tmp/current.times"
for ((i = 0; i < RUNS; i++)); do
    run base "$base_dir/faqbot" "$base_dir/knowledge"
    run current "$current_bin" knowledge "${current_args[@]}"
done

# The median of a column of a times file (1: wall; 4: user + system).
median() { # median FILE COLUMN
    awk -v c="$2" '{ $4 = $2 + $3; print $c }' "$1" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
extreme() { # extreme FILE head|tail: the fastest or slowest wall time
    awk '{ print $1 }' "$1" | sort -n | "$2" -1
}
base_median=$(median "$tmp/base.times" 1)
current_median=$(median "$tmp/current.times" 1)
base_cpu=$(median "$tmp/base.times" 4)
current_cpu=$(median "$tmp/current.times" 4)

echo
model="trained model read from the cache"
if [[ ${CACHE:-1} = 0 ]]; then
    model="model trained at every start"
fi
echo "faqbot ask --json (working tree: ${JOBS:+--jobs $JOBS, }$model), $lines lines, $RUNS alternate runs each (after one warm-up run each)"
row() { printf '%-26s %12s %12s %12s %14s\n' "$@"; }
row "binary" "median (s)" "fastest (s)" "slowest (s)" "median CPU (s)"
row "$base_short (base)" "$base_median" "$(extreme "$tmp/base.times" head)" "$(extreme "$tmp/base.times" tail)" "$base_cpu"
row "working tree" "$current_median" "$(extreme "$tmp/current.times" head)" "$(extreme "$tmp/current.times" tail)" "$current_cpu"
awk -v b="$base_median" -v c="$current_median" -v bc="$base_cpu" -v cc="$current_cpu" \
    'BEGIN { printf "ratio (base / working tree): %.2fx wall time, %.2fx CPU time\n", b / c, bc / cc }'
