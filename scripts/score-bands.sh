#!/usr/bin/env bash
# How often an outright answer is right, by its score: for each band of 0.05,
# the answers that were right, wrong, or given to an out-of-scope question.
# What `matcher.answer_threshold` trades: below it, answers become choices.
#   bash scripts/score-bands.sh knowledge/examples/*.jsonl tests/data/writers/validation.jsonl
# Needs python3. Never give it a *.test.jsonl half: it prints per-line results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
python3 - "$@" <<'PY'
import collections, json, subprocess, sys
rows = [json.loads(l) for f in sys.argv[1:] for l in open(f) if l.strip()]
batch = "".join(r["q"].replace("\n", " ") + "\n" for r in rows)
out = subprocess.run(["target/release/faqbot", "ask", "--json"], input=batch,
                     capture_output=True, text=True, check=True).stdout.splitlines()
bands = collections.defaultdict(lambda: [0, 0, 0])
for r, line in zip(rows, out):
    o = json.loads(line)
    if o["outcome"] != "answer" or o.get("id") == "scam-warning":
        continue
    band = min(int(o["score"] * 20) / 20, 0.95)
    if not r["expect"]:
        bands[band][2] += 1
    elif o["id"] in r["expect"]:
        bands[band][0] += 1
    else:
        bands[band][1] += 1
print("score  right  wrong  out-of-scope answered")
for band in sorted(bands):
    print(f"{band:.2f}  {bands[band][0]:5}  {bands[band][1]:5}  {bands[band][2]:5}")
PY
