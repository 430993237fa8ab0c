#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, one after the other,
# at low priority; logs go to fuzz/logs/<target>.log. Needs cargo-fuzz.
set -uo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
./seed.sh
mkdir -p logs
for target in match_text knowledge_toml callback_command free_text date_reader; do
    RUSTC_BOOTSTRAP=1 nice -n 15 cargo fuzz run "$target" -- \
        -max_total_time="$seconds" -max_len=16384 -print_final_stats=1 \
        > "logs/$target.log" 2>&1
    echo "$target: exit $? ($(grep -h '^stat::number_of_executed_units' "logs/$target.log"))"
done
