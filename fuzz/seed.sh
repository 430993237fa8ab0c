#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs taken from the repository:
# the question sets, the knowledge files, button data and commands, and the
# date forms the date reader knows.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/match_text corpus/knowledge_toml corpus/callback_command corpus/free_text corpus/date_reader
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
    "/help@faq_test_bot" "/help@OtherBot" "/reload" "/stats now" c:en d:zh k:0000abcd:3:y \
    k:ffffffff:0:u r:zh:20261103 r:en:00010101 z:42 z:0 "/cooling 11月3日" /check /cancel /reminders; do
    printf '%s' "$data" > "corpus/callback_command/$(printf '%s' "$data" | od -An -tx1 | tr -d ' \n')"
done
printf '\x00https://bot.example.org/hook\x1f127.0.0.1:8443\x1fabc_-1' > corpus/free_text/settings
printf '\x01shipinhao zenme zhuxiao' > corpus/free_text/pinyin
printf '\x02<b>注销</b> & "undo"\n\nsecond paragraph 😭' > corpus/free_text/split
# date_reader: two bytes of today (days since 1970-01-01, little-endian;
# \x31\x51 is 2026-11-28), then a message.
n=0
for text in 2026-11-03 2026/11/3 2026.11.3 2026年11月3日 2026年11月3号 11月3日 十一月三号 11/3 11/3/2026 \
    二〇二六年十一月三日 去年12月25日 上周三 上个星期三 上禮拜三 这周一 本周日 下周三 周三 星期天 \
    今天 昨天 前天 大前天 明天 后天 3天前 三天前 两天前 3日前 一周前 1个星期前 一个月前 上个月3号 本月3日 \
    ２０２６－１１－０３ １１月３日 十一月三號 上週三 2月29日 2月30日 99999天前 60天 3点 8.0.50 2023年下半年 \
    "Nov 3" "Nov. 3, 2026" "November 3rd 2026" "3rd of November" "3 Nov 2026" "Sept 9" \
    today yesterday tomorrow "the day before yesterday" "3 days ago" "thirty-one days ago" "a month ago" \
    "last Wednesday" "on Wed." "next Monday" "Tuesday, November 3, 2026" "every Wednesday" \
    "我在11月3号申请的" "我11月3日申请的注销 什么时候能撤销" "iOS 17.3" "3 days" "3/4 of my videos" \
    号注销快四个月了还有戏吗 我註銷已經兩個月又一週了 申请注销第62天了 注销第45天 申请注销都半年了 \
    一个半月了 两个多月前 ６０多天了 还剩3天了 第60天会删除吗 \
    "it's been 70 days since I requested deletion" "day 62 since i applied" "applied over two months ago" \
    "a year and a half ago" "10d ago" "the 62nd day"; do
    n=$((n + 1))
    printf '\x31\x51%s' "$text" > "corpus/date_reader/d$n"
done
printf '\x54\x51上周三 12月31日 Dec 30' > corpus/date_reader/year-boundary
printf '\xfc\x522月29日' > corpus/date_reader/leap-day
