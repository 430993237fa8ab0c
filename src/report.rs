//! The admin reports over the store, shared by `/unanswered`, `/feedback`,
//! `faqbot report` and `faqbot suggest`: unanswered questions grouped into
//! near-duplicates with the entries they nearly matched, and votes per
//! entry, worst first. Also the record of an unanswered question, since its
//! signature is what groups it: made from the question's masked text
//! ([`crate::privacy`]) only.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::matcher::{Candidate, Outcome};
use crate::privacy::{Masked, mask, without_placeholders};
use crate::store::{EntryFeedback, Question, SignatureGroup, Timestamp, UserKey};
use crate::{Faq, Lang, Reply};

/// How far back `/unanswered` looks.
pub const UNANSWERED_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

/// Signature groups whose feature sets overlap at least this much
/// (Jaccard) are near-duplicates.
const SIMILAR: f32 = 0.75;

/// Only the most asked signatures are compared for near-duplicates (the
/// comparison is quadratic at worst); the rest keep their own groups, and
/// being asked less often, rank below anyway.
const MAX_COMPARED: usize = 5_000;

/// A stored question is cut to this many characters.
const MAX_STORED_CHARS: usize = 500;

/// Nearest entries shown per group.
pub const NEAREST: usize = 2;

/// How near-duplicate questions are recognised: the reply language and the
/// matcher's features of the masked message, its placeholders left out
/// (concepts, stems, character n-grams), sorted. Typos, word order, stop
/// words, punctuation and masked values do not change it. A message with no
/// features falls back to its normalised masked text.
pub fn signature(faq: &Faq, message: &Masked, lang: Lang) -> String {
    let text = message.without_placeholders();
    let features = faq.matcher().features(&faq.read(&text));
    signature_of(features, &message.normalized(), lang)
}

fn signature_of(mut features: Vec<String>, normalized: &str, lang: Lang) -> String {
    features.sort_unstable();
    features.dedup();
    if features.is_empty() {
        format!("{lang}={normalized}")
    } else {
        format!("{lang}:{}", features.join(" "))
    }
}

/// The record of a question the bot did not answer outright, or `None` for
/// an answer. Everything in it comes from the masked message: its text,
/// its signature and its nearest entries.
pub fn unanswered_question(
    faq: &Faq,
    message: &Masked,
    reply: &Reply,
    user: UserKey,
    at: Timestamp,
) -> Option<Question> {
    let verdict = &reply.verdict;
    if verdict.outcome == Outcome::Answer {
        return None;
    }
    let lang = verdict.lang;
    let normalized = message.normalized();
    if normalized.is_empty() {
        return None;
    }
    let (features, candidates) = faq
        .matcher()
        .features_and_nearest(&message.without_placeholders(), 3);
    Some(Question {
        at,
        lang,
        outcome: verdict.outcome,
        signature: signature_of(features, &normalized, lang),
        candidates,
        text: cut_stored(normalized),
        user,
    })
}

/// A question stored unmasked (its normalised text and signature), masked
/// as [`unanswered_question`] masks: the text's personal values replaced by
/// placeholders, and the signature's features that hold one dropped. For
/// the store's upgrade.
pub(crate) fn mask_stored(text: &str, signature: &str) -> (String, String) {
    let masked = mask(text).normalized();
    let kept: HashSet<&str> = digit_runs(&masked).collect();
    let signature = mask_signature(signature, Some(&masked), |feature| {
        digit_runs(feature).all(|run| kept.contains(run))
    });
    (masked, signature)
}

/// A signature stored unmasked with no question left to tell which of its
/// numbers were personal: masked as [`mask_stored`] masks, dropping every
/// feature with a run of 4 or more digits.
pub(crate) fn mask_stored_signature(signature: &str) -> String {
    mask_signature(signature, None, |feature| {
        digit_runs(feature).all(|run| run.len() < 4)
    })
}

/// `signature` with only the features `keep` keeps, or with its text
/// masked; a signature left with no feature falls back to `text`, as
/// [`signature`] does.
fn mask_signature(signature: &str, text: Option<&str>, keep: impl Fn(&str) -> bool) -> String {
    let (lang, rest) = match signature.split_once(':') {
        Some((lang, features)) if lang.len() == 2 => (lang, Some(features)),
        _ => match signature.split_once('=') {
            Some((lang, text)) => {
                return format!("{lang}={}", mask(text).normalized());
            }
            None => return signature.to_string(),
        },
    };
    let features: Vec<&str> = rest
        .into_iter()
        .flat_map(|f| f.split(' '))
        .filter(|f| keep(f))
        .collect();
    match text {
        Some(text) if features.is_empty() => format!("{lang}={text}"),
        _ => format!("{lang}:{}", features.join(" ")),
    }
}

fn digit_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
}

/// `text` cut to [`MAX_STORED_CHARS`], and before a placeholder the cut
/// would split.
fn cut_stored(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_STORED_CHARS) {
        text.truncate(cut);
        // Only placeholders have brackets in a normalised masked text.
        if let Some(open) = text.rfind('[')
            && !text[open..].contains(']')
        {
            text.truncate(open);
        }
        text.truncate(text.trim_end().len());
    }
    text
}

/// The in-scope entries nearest to `message`, best first.
pub fn nearest(faq: &Faq, message: &str, n: usize) -> Vec<Candidate> {
    faq.matcher().features_and_nearest(message, n).1
}

/// Near-duplicate unanswered questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnansweredGroup {
    /// Stable for as long as the group's most asked signature is: what the
    /// triage buttons and `faqbot suggest --apply` name.
    pub id: String,
    pub count: u64,
    /// Distinct users who asked (at least; merged signatures may share
    /// users, so this is the largest of theirs).
    pub users: u64,
    pub last_at: Timestamp,
    pub lang: Lang,
    /// The latest phrasing of the most asked signature, as stored:
    /// normalised and masked.
    pub example: String,
    /// The entries the matcher nearly chose (for the example, with the
    /// knowledge as it is now), best first.
    pub nearest: Vec<Candidate>,
    #[serde(skip)]
    pub signatures: Vec<String>,
}

/// Groups signature groups into near-duplicates, most asked first. The
/// `nearest` lists are left empty: see [`with_nearest`].
pub fn group(mut groups: Vec<SignatureGroup>) -> Vec<UnansweredGroup> {
    groups.sort_by(|a, b| {
        (b.count, b.last_at)
            .cmp(&(a.count, a.last_at))
            .then_with(|| a.signature.cmp(&b.signature))
    });
    let mut clusters: Vec<UnansweredGroup> = Vec::with_capacity(groups.len());
    let mut features: Vec<Vec<&str>> = Vec::new();
    // feature → clusters whose first signature has it
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut overlap: Vec<u32> = Vec::new();
    for (rank, g) in groups.iter().enumerate() {
        let own = signature_features(&g.signature);
        let mut home = None;
        if rank < MAX_COMPARED && !own.is_empty() {
            overlap.clear();
            overlap.resize(clusters.len(), 0);
            for f in &own {
                for &c in index.get(f).into_iter().flatten() {
                    overlap[c] += 1;
                }
            }
            home = (0..clusters.len())
                .filter(|&c| overlap[c] > 0 && clusters[c].lang == g.lang)
                .map(|c| {
                    let shared = overlap[c] as f32;
                    let union = (own.len() + features[c].len()) as f32 - shared;
                    (c, shared / union)
                })
                .filter(|&(_, jaccard)| jaccard >= SIMILAR)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(c, _)| c);
        }
        match home {
            Some(c) => {
                let cluster = &mut clusters[c];
                cluster.count += g.count;
                // The same user may have asked in several signatures, so
                // the largest count is what is known for sure.
                cluster.users = cluster.users.max(g.users);
                cluster.last_at = cluster.last_at.max(g.last_at);
                cluster.signatures.push(g.signature.clone());
            }
            None => {
                let c = clusters.len();
                if rank < MAX_COMPARED {
                    for f in &own {
                        index.entry(f).or_default().push(c);
                    }
                }
                features.push(own);
                clusters.push(UnansweredGroup {
                    id: group_id(&g.signature),
                    count: g.count,
                    users: g.users,
                    last_at: g.last_at,
                    lang: g.lang,
                    example: g.example.clone(),
                    nearest: Vec::new(),
                    signatures: vec![g.signature.clone()],
                });
            }
        }
    }
    clusters.sort_by(|a, b| {
        (b.count, b.last_at)
            .cmp(&(a.count, a.last_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    clusters
}

/// Fills in each group's nearest entries with the knowledge as it is now.
pub fn with_nearest(faq: &Faq, groups: &mut [UnansweredGroup]) {
    for g in groups {
        g.nearest = nearest(faq, &without_placeholders(&g.example), NEAREST);
    }
}

/// A signature's features (empty for a text-only signature).
fn signature_features(signature: &str) -> Vec<&str> {
    match signature.split_once(':') {
        Some((lang, features)) if lang.len() == 2 => features.split(' ').collect(),
        _ => Vec::new(),
    }
}

/// A short stable id for a signature: 12 hex digits of SipHash with a fixed
/// key (stable across versions and machines, unlike std's hasher).
fn group_id(signature: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip::SipHasher13::new_with_keys(0, 0);
    hasher.write(signature.as_bytes());
    format!("{:012x}", hasher.finish() >> 16)
}

/// Entries' feedback, worst first: by the share of 👍 with one imagined
/// vote each way (so one 👎 is not worse than nine 👎 of ten), then by
/// mismatch reports, then by id.
pub fn worst_first(mut feedback: Vec<EntryFeedback>) -> Vec<EntryFeedback> {
    let smoothed =
        |f: &EntryFeedback| (f.helpful as f64 + 1.0) / ((f.helpful + f.unhelpful) as f64 + 2.0);
    feedback.sort_by(|a, b| {
        smoothed(a)
            .total_cmp(&smoothed(b))
            .then(b.mismatches.cmp(&a.mismatches))
            .then(b.unhelpful.cmp(&a.unhelpful))
            .then_with(|| a.entry.cmp(&b.entry))
    });
    feedback
}

/// The share of 👍 among an entry's votes, if it has any.
pub fn helpful_share(f: &EntryFeedback) -> Option<f64> {
    let votes = f.helpful + f.unhelpful;
    (votes > 0).then(|| f.helpful as f64 / votes as f64)
}

/// Reads a time span such as `7d`, `12h`, `30m`, `2w` or `90s`.
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a time span such as 7d, 12h or 30m"))?;
    let unit_secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "'{text}' has no unit: use s, m, h, d or w (as in 7d)"
            ));
        }
    };
    n.checked_mul(unit_secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("'{text}' is too long a span"))
}

/// How the command line prints a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    Csv,
    Json,
}

/// The unanswered report in `format`.
pub fn format_unanswered(groups: &[UnansweredGroup], format: Format) -> String {
    let nearest = |g: &UnansweredGroup| {
        g.nearest
            .iter()
            .map(|c| format!("{} {:.2}", c.id, c.score))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match format {
        Format::Json => json_lines(groups),
        Format::Csv | Format::Table => {
            let header = ["group", "count", "users", "lang", "example", "nearest"];
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|g| {
                    vec![
                        g.id.clone(),
                        g.count.to_string(),
                        g.users.to_string(),
                        g.lang.to_string(),
                        g.example.clone(),
                        nearest(g),
                    ]
                })
                .collect();
            columns(format, &header, &rows)
        }
    }
}

/// The feedback report in `format`.
pub fn format_feedback(feedback: &[EntryFeedback], format: Format) -> String {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Row<'a> {
                #[serde(flatten)]
                feedback: &'a EntryFeedback,
                helpful_share: Option<f64>,
            }
            let rows: Vec<Row> = feedback
                .iter()
                .map(|f| Row {
                    feedback: f,
                    helpful_share: helpful_share(f).map(|s| (s * 1000.0).round() / 1000.0),
                })
                .collect();
            json_lines(&rows)
        }
        Format::Csv | Format::Table => {
            let header = [
                "entry",
                "helpful",
                "unhelpful",
                "helpful_share",
                "mismatches",
            ];
            let rows: Vec<Vec<String>> = feedback
                .iter()
                .map(|f| {
                    vec![
                        f.entry.clone(),
                        f.helpful.to_string(),
                        f.unhelpful.to_string(),
                        helpful_share(f).map_or("-".into(), |s| format!("{:.0}%", s * 100.0)),
                        f.mismatches.to_string(),
                    ]
                })
                .collect();
            columns(format, &header, &rows)
        }
    }
}

/// Rows as CSV or as an aligned table.
fn columns(format: Format, header: &[&str], rows: &[Vec<String>]) -> String {
    if format == Format::Csv {
        csv(header, rows)
    } else {
        table(header, rows)
    }
}

/// One JSON object per line.
fn json_lines<T: Serialize>(rows: &[T]) -> String {
    let mut out = String::new();
    for row in rows {
        // Serialising these plain structs cannot fail.
        out.push_str(&serde_json::to_string(row).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// RFC 4180 CSV: fields with a comma, quote or line break are quoted.
fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let field = |f: &str| {
        if f.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", f.replace('"', "\"\""))
        } else {
            f.to_string()
        }
    };
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// Columns padded to their widest cell; CJK characters count two columns.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        for (i, cell) in cells.into_iter().enumerate() {
            out.push_str(cell);
            if i < last {
                let pad = widths[i] - width(cell) + 2;
                let _ = write!(out, "{:pad$}", "");
            }
        }
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// Terminal columns of `text`: two for East Asian wide characters.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(signature: &str, count: u64, last_at: Timestamp) -> SignatureGroup {
        SignatureGroup {
            signature: signature.into(),
            count,
            users: count,
            last_at,
            lang: if signature.starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            },
            example: signature.into(),
            candidates: Vec::new(),
        }
    }

    #[test]
    fn near_duplicates_merge_into_the_most_asked() {
        let groups = group(vec![
            sig("en:cat dog fish mouse", 2, 10),
            sig("en:cat dog fish mouse bird", 5, 20),
            sig("en:cat", 1, 30),
            sig("zh:cat dog fish mouse", 1, 40),
            sig("en=hello", 3, 50),
        ]);
        let summary: Vec<(u64, &str, usize)> = groups
            .iter()
            .map(|g| (g.count, g.example.as_str(), g.signatures.len()))
            .collect();
        assert_eq!(
            summary,
            [
                // 4 of 5 features shared: one group, named for the bigger.
                (7, "en:cat dog fish mouse bird", 2),
                (3, "en=hello", 1),
                (1, "zh:cat dog fish mouse", 1),
                (1, "en:cat", 1),
            ]
        );
        assert_eq!(groups[0].id, group_id("en:cat dog fish mouse bird"));
        assert_eq!(groups[0].id.len(), 12);
    }

    #[test]
    fn questions_stored_unmasked_are_masked_as_new_ones_are() {
        let (text, signature) = mask_stored(
            "我的手机号13812345678收不到验证码384756 2023年",
            "zh:#code #phone b不到 w13812345678 w2023 w384756",
        );
        assert_eq!(text, "我的手机号 [phone] 收不到验证码 [code] 2023年");
        assert_eq!(signature, "zh:#code #phone b不到 w2023");
        assert_eq!(
            mask_stored("13812345678", "zh:w13812345678"),
            ("[phone]".to_string(), "zh=[phone]".to_string())
        );
        assert_eq!(
            mask_stored("86 138 1234 5678", "en=86 138 1234 5678"),
            ("[phone]".to_string(), "en=[phone]".to_string())
        );
        assert_eq!(
            mask_stored_signature("en:wcode w1234 w12 wphone"),
            "en:wcode w12 wphone"
        );
        let plain = "en:wavatar wchang";
        assert_eq!(mask_stored_signature(plain), plain);
        assert_eq!(
            mask_stored("how do i change the avatar", plain),
            ("how do i change the avatar".to_string(), plain.to_string())
        );
    }

    #[test]
    fn spans_read_with_units_and_refuse_nonsense() {
        assert_eq!(parse_span("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_span("12h"), Ok(Duration::from_secs(12 * 3600)));
        assert_eq!(parse_span("2w"), Ok(Duration::from_secs(14 * 86_400)));
        for bad in ["", "7", "d", "7x", "-1d", "99999999999999999999d"] {
            assert!(parse_span(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn feedback_is_worst_first() {
        let f = |entry: &str, helpful, unhelpful, mismatches| EntryFeedback {
            entry: entry.into(),
            helpful,
            unhelpful,
            mismatches,
        };
        let order: Vec<String> = worst_first(vec![
            f("good", 9, 1, 0),
            f("one-down", 0, 1, 0),
            f("bad", 1, 9, 0),
            f("unvoted-mismatch", 0, 0, 2),
            f("unvoted", 0, 0, 0),
        ])
        .into_iter()
        .map(|f| f.entry)
        .collect();
        assert_eq!(
            order,
            ["bad", "one-down", "unvoted-mismatch", "unvoted", "good"]
        );
    }

    #[test]
    fn csv_quotes_and_tables_align_chinese() {
        let out = csv(&["a", "b"], &[vec!["x,y".into(), "say \"hi\"".into()]]);
        assert_eq!(out, "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n");
        let out = table(
            &["text", "n"],
            &[
                vec!["注销".into(), "1".into()],
                vec!["ab".into(), "22".into()],
            ],
        );
        assert_eq!(out, "text  n\n注销  1\nab    22\n");
    }
}
