//! Measuring the bot on question sets (`faqbot eval`).
//!
//! Each line of a set is a JSON object with `q` and `expect` (a list of
//! entry ids); an empty `expect` means the bot must fall back. `@cooling`
//! expects the cooling-off calculator (a message naming the day, or how long
//! ago, a deletion was requested). Optional `lang` (`zh`/`en`) and `tags`
//! group the figures; any other field (`src`, notes) is ignored. A tag
//! `scam` marks a scam scenario (which must get the scam warning) and
//! `legit-lookalike` a legitimate question that looks like one (which must
//! not, unless the line expects the warning as its answer: "is deleting
//! free?").
//!
//! A line is in scope when it expects something. The figures:
//! - **top-1**: in-scope lines answered outright with an expected entry (or
//!   the calculator where `@cooling` is expected, or one of the entries
//!   about the period: given the day of the request, its answer says where
//!   the period stands, whether undoing is still possible and how, and
//!   whether the deletion is probably final);
//! - **useful**: top-1, or a clarification offering an expected entry;
//! - **rejected**: out-of-scope lines that fell back;
//! - **harm**: wrong outright answers plus answered out-of-scope lines, over
//!   all lines: what misleads a user, where a clarification or a fallback
//!   does not.
//!
//! Each question goes through the same routing as a chat's first message
//! ([`conversation::message`] with nothing under way), so the figures
//! measure what a user gets, calculator included.

use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use anyhow::{Context, bail};
use jiff::civil::Date;
use serde::Deserialize;

use crate::conversation::{self, Response};
use crate::matcher::{Candidate, Match, Outcome};
use crate::normalize::normalize;
use crate::{Faq, Lang};

/// One line of a question set.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Case {
    pub q: String,
    pub expect: Vec<String>,
    /// The language the line is written in, when the set says.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Register and kind (`colloquial`, `pinyin`, `adjacent`, `scam`, …).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the line is: the file's name and line number (not read from
    /// the JSON).
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub line: usize,
}

/// The pseudo-id a case expects when the cooling-off calculator must answer.
pub const COOLING: &str = "@cooling";

/// The tag of a scam scenario.
pub const SCAM_TAG: &str = "scam";

/// The tag of a legitimate question that looks like a scam scenario.
pub const LOOKALIKE_TAG: &str = "legit-lookalike";

impl Case {
    fn tagged(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

/// Reads a question set, one JSON object per line; blank lines are skipped.
/// Every expected id must name an entry of `faq`, or be [`COOLING`] when
/// the knowledge has a `[cooling_off]` section.
pub fn read_cases(path: &Path, faq: &Faq) -> anyhow::Result<Vec<Case>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot open question set {}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut cases = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let number = index + 1;
        let line =
            line.with_context(|| format!("{}:{number}: cannot read line", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut case: Case = serde_json::from_str(&line)
            .with_context(|| format!("{}:{number}: invalid question line", path.display()))?;
        case.file.clone_from(&name);
        case.line = number;
        let knowledge = faq.knowledge();
        if case.expect.iter().any(|id| id == COOLING) && knowledge.cooling_off.is_none() {
            bail!(
                "{}:{number}: expects the cooling-off calculator ('{COOLING}'), but the knowledge has no [cooling_off]",
                path.display()
            );
        }
        if let Some(unknown) = case
            .expect
            .iter()
            .find(|id| *id != COOLING && knowledge.entry(id).is_none())
        {
            bail!(
                "{}:{number}: expected id '{unknown}' names no entry",
                path.display()
            );
        }
        cases.push(case);
    }
    if cases.is_empty() {
        bail!("question set {} has no questions", path.display());
    }
    Ok(cases)
}

/// What the bot did with one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub case: Case,
    /// The language the bot replied in.
    pub lang: Lang,
    pub outcome: Outcome,
    /// The entry answered ([`COOLING`] for the calculator, then the entries
    /// its reply covers), or the choices offered.
    pub ids: Vec<String>,
    /// The matcher's confidence; `None` when the calculator or the
    /// checklist answered, which do not score.
    pub confidence: Option<f32>,
    /// Whether the reply carried the scam warning.
    pub warned: bool,
    /// Whether the line expects the scam warning as its answer ("is deleting
    /// free?"): then a look-alike that gets it was not warned wrongly.
    pub warning_expected: bool,
}

impl CaseResult {
    fn in_scope(&self) -> bool {
        !self.case.expect.is_empty()
    }

    /// Whether the bot did the right thing: an expected answer in scope, a
    /// fallback out of scope.
    pub fn correct(&self) -> bool {
        if self.in_scope() {
            self.outcome == Outcome::Answer
                && self.ids.iter().any(|id| self.case.expect.contains(id))
        } else {
            self.outcome == Outcome::Fallback
        }
    }

    /// Whether the bot misled: an outright answer that is wrong, or any
    /// outright answer to an out-of-scope question.
    pub fn harmful(&self) -> bool {
        self.outcome == Outcome::Answer && !self.correct()
    }

    /// Whether the reply warned of a scam where the line expects no warning.
    pub fn wrongly_warned(&self) -> bool {
        self.warned && !self.warning_expected
    }

    fn offered_right_choice(&self) -> bool {
        self.outcome == Outcome::Clarify && self.ids.iter().any(|id| self.case.expect.contains(id))
    }

    /// The language the figures count this line under: the set's, or else
    /// the one the bot replied in.
    pub fn group_lang(&self) -> Lang {
        self.case.lang.unwrap_or(self.lang)
    }
}

/// The figures for one group of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// In-scope lines, and how many were answered with a right entry.
    pub in_scope: usize,
    pub answered_right: usize,
    /// In-scope lines that got a clarification offering a right entry.
    pub clarified_right: usize,
    /// In-scope lines that fell back.
    pub rejected: usize,
    /// Out-of-scope lines, and how many fell back.
    pub out_of_scope: usize,
    pub out_rejected: usize,
    /// Lines answered outright and wrongly (out-of-scope lines answered
    /// included).
    pub harmful: usize,
    /// Scam scenarios, and how many got the scam warning.
    pub scams: usize,
    pub scams_warned: usize,
    /// Legitimate look-alikes, and how many got the scam warning.
    pub lookalikes: usize,
    pub lookalikes_warned: usize,
    /// Lines with a `lang` that were answered in the other language.
    pub wrong_lang: usize,
}

impl Tally {
    fn add(&mut self, result: &CaseResult) {
        if result.in_scope() {
            self.in_scope += 1;
            self.answered_right += usize::from(result.correct());
            self.clarified_right += usize::from(result.offered_right_choice());
            self.rejected += usize::from(result.outcome == Outcome::Fallback);
        } else {
            self.out_of_scope += 1;
            self.out_rejected += usize::from(result.correct());
        }
        self.harmful += usize::from(result.harmful());
        let case = &result.case;
        if case.tagged(SCAM_TAG) {
            self.scams += 1;
            self.scams_warned += usize::from(result.warned);
        }
        if case.tagged(LOOKALIKE_TAG) {
            self.lookalikes += 1;
            self.lookalikes_warned += usize::from(result.wrongly_warned());
        }
        self.wrong_lang += usize::from(case.lang.is_some_and(|lang| lang != result.lang));
    }

    /// All lines counted.
    pub fn total(&self) -> usize {
        self.in_scope + self.out_of_scope
    }

    /// Top-1 accuracy on in-scope lines (0–1).
    pub fn accuracy(&self) -> f64 {
        ratio(self.answered_right, self.in_scope)
    }

    /// In-scope lines answered right or offered the right choice (0–1).
    pub fn useful(&self) -> f64 {
        ratio(self.answered_right + self.clarified_right, self.in_scope)
    }

    /// Share of out-of-scope lines that fell back (0–1).
    pub fn rejection(&self) -> f64 {
        ratio(self.out_rejected, self.out_of_scope)
    }

    /// Wrong outright answers and answered out-of-scope lines, over all
    /// lines (0–1); lower is better.
    pub fn harm(&self) -> f64 {
        if self.total() == 0 {
            0.0
        } else {
            self.harmful as f64 / self.total() as f64
        }
    }

    /// Share of in-scope lines that fell back (0–1); 0 when there are none.
    pub fn false_rejection(&self) -> f64 {
        if self.in_scope == 0 {
            0.0
        } else {
            ratio(self.rejected, self.in_scope)
        }
    }

    /// Share of scam scenarios that got the warning (0–1).
    pub fn scam_warned(&self) -> f64 {
        ratio(self.scams_warned, self.scams)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// The outcome of a whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub results: Vec<CaseResult>,
    pub all: Tally,
    pub zh: Tally,
    pub en: Tally,
    /// Per tag, in name order (empty when no line has tags).
    pub tags: BTreeMap<String, Tally>,
}

impl Report {
    /// Counts one more result.
    fn add(&mut self, result: CaseResult) {
        self.all.add(&result);
        match result.group_lang() {
            Lang::Zh => self.zh.add(&result),
            Lang::En => self.en.add(&result),
        }
        for tag in &result.case.tags {
            self.tags.entry(tag.clone()).or_default().add(&result);
        }
        self.results.push(result);
    }

    /// Counts another report's results too.
    pub fn extend(&mut self, other: Report) {
        for result in other.results {
            self.add(result);
        }
    }
}

/// The name of the question set a file holds: its file name up to the
/// first dot (`twelfth-wave.test.jsonl` and `examples/twelfth-wave.jsonl`
/// are both `twelfth-wave`), as [`crate::knowledge::Example::source`] names
/// the file of an example.
pub fn set_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    match name.split_once('.') {
        Some((stem, _)) => stem.to_string(),
        None => name,
    }
}

/// Runs every case through the bot as a chat's first message, each in the
/// language it is written in: a message naming the day a deletion was
/// requested gets the calculator (counted as answering [`COOLING`]),
/// everything else the matcher's reply.
///
/// `today` is the day the dates in the questions are read against. The
/// figures hardly depend on it: whether the calculator answers depends
/// only on whether a message mentions a date at all (past, future and
/// impossible dates all get the calculator, the latter two as a question
/// back), never on which date it is (see [`conversation::message`]). Only
/// a date given with its year, ahead of `today`, gets a question back
/// where it would otherwise settle the question about the period.
pub fn evaluate(faq: &Faq, cases: Vec<Case>, today: Date) -> Report {
    let safety = safety_entry(faq);
    evaluate_with(cases, safety, |q| {
        match conversation::message(faq, None, q, None, today, None).response {
            Response::Reply(reply) => {
                let warned = reply.verdict.safety;
                let mut verdict = Verdict::from(reply.verdict);
                verdict.warned |= warned;
                verdict
            }
            // The calculator answers `@cooling`, and the questions about the
            // period ("can I still undo it?", "is it gone for good?") for
            // the user's own request.
            Response::Cooling(cooling) => {
                let mut verdict = Verdict::routed(COOLING, cooling.lang());
                verdict
                    .ids
                    .extend(cooling.covers().into_iter().map(String::from));
                verdict
            }
            // Only with a run number does a message start the checklist;
            // should it ever, it stands for the checklist's entry.
            Response::Checklist(turn) => Verdict::routed(
                faq.knowledge()
                    .checklist
                    .as_ref()
                    .map_or("", |c| c.entry.as_str()),
                turn.lang,
            ),
        }
        .warned_by(safety)
    })
}

/// The scam warning's entry id, if the knowledge has one.
fn safety_entry(faq: &Faq) -> Option<&str> {
    faq.knowledge().safety.as_ref().map(|s| s.entry.as_str())
}

/// Runs every case through the baseline the matcher must beat: a plain
/// edit-distance scan (normalised Levenshtein, `strsim`) over every question
/// variant of every entry, answering the closest entry when it is at least
/// half similar and falling back otherwise (`faqbot eval --baseline`).
pub fn evaluate_baseline(faq: &Faq, cases: Vec<Case>) -> Report {
    let safety = safety_entry(faq);
    let variants: Vec<(String, &str)> = faq
        .knowledge()
        .entries
        .iter()
        .flat_map(|e| {
            e.questions
                .all()
                .map(move |q| (normalize(q), e.id.as_str()))
        })
        .collect();
    evaluate_with(cases, safety, |q| {
        let q = normalize(q);
        let (score, id) = variants
            .iter()
            .map(|(v, id)| (strsim::normalized_levenshtein(&q, v), *id))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((0.0, ""));
        let score = score as f32;
        let answered = score >= BASELINE_THRESHOLD;
        Verdict::from(Match {
            outcome: if answered {
                Outcome::Answer
            } else {
                Outcome::Fallback
            },
            confidence: score,
            lang: crate::normalize::detect_lang(&q),
            answer: answered.then(|| Candidate {
                id: id.to_string(),
                score,
            }),
            suggestions: Vec::new(),
            safety: false,
            topic: None,
        })
        .warned_by(safety)
    })
}

/// The similarity from which the baseline answers.
const BASELINE_THRESHOLD: f32 = 0.5;

/// What the bot did with one question, as a case is scored.
struct Verdict {
    outcome: Outcome,
    lang: Lang,
    ids: Vec<String>,
    confidence: Option<f32>,
    warned: bool,
}

impl Verdict {
    /// An outright answer by something other than the matcher.
    fn routed(id: &str, lang: Lang) -> Verdict {
        Verdict {
            outcome: Outcome::Answer,
            lang,
            ids: vec![id.to_string()],
            confidence: None,
            warned: false,
        }
    }

    /// Marks the verdict as warning of scams when it answers with the
    /// safety entry.
    fn warned_by(mut self, safety: Option<&str>) -> Verdict {
        let answered =
            |id| self.outcome == Outcome::Answer && self.ids.first().is_some_and(|a| a == id);
        self.warned |= safety.is_some_and(answered);
        self
    }
}

impl From<Match> for Verdict {
    fn from(found: Match) -> Verdict {
        let ids = match found.outcome {
            Outcome::Answer => found.answer.iter().map(|c| c.id.clone()).collect(),
            _ => found.suggestions.iter().map(|c| c.id.clone()).collect(),
        };
        Verdict {
            outcome: found.outcome,
            lang: found.lang,
            ids,
            confidence: Some(found.confidence),
            warned: found.safety,
        }
    }
}

fn evaluate_with(cases: Vec<Case>, safety: Option<&str>, find: impl Fn(&str) -> Verdict) -> Report {
    let mut report = Report::default();
    for case in cases {
        let verdict = find(&case.q);
        let warning_expected = safety.is_some_and(|s| case.expect.iter().any(|e| e == s));
        report.add(CaseResult {
            warning_expected,
            case,
            lang: verdict.lang,
            outcome: verdict.outcome,
            ids: verdict.ids,
            confidence: verdict.confidence,
            warned: verdict.warned,
        });
    }
    report
}

impl Report {
    /// The figures without the misses: what to print of a test half, whose
    /// lines must not be read.
    pub fn figures(&self) -> Figures<'_> {
        Figures(self)
    }
}

/// The figures of a [`Report`], as a table.
pub struct Figures<'r>(&'r Report);

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

impl fmt::Display for Figures<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.0;
        writeln!(
            f,
            "{:<18} {:>6} {:>7} {:>7} {:>7} {:>7} {:>8} {:>6}",
            "group", "lines", "top-1", "useful", "in", "out", "rejected", "harm"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, t: &Tally| {
            let or_dash = |n: usize, value: f64| {
                if n == 0 {
                    "-".to_string()
                } else {
                    percent(value)
                }
            };
            writeln!(
                f,
                "{:<18} {:>6} {:>7} {:>7} {:>7} {:>7} {:>8} {:>6}",
                name,
                t.total(),
                or_dash(t.in_scope, t.accuracy()),
                or_dash(t.in_scope, t.useful()),
                t.in_scope,
                t.out_of_scope,
                or_dash(t.out_of_scope, t.rejection()),
                percent(t.harm())
            )
        };
        row(f, "all", &report.all)?;
        for (name, t) in [("zh", &report.zh), ("en", &report.en)] {
            if t.total() > 0 {
                row(f, name, t)?;
            }
        }
        for (tag, t) in &report.tags {
            row(f, &format!("#{tag}"), t)?;
        }
        let a = &report.all;
        writeln!(
            f,
            "in scope: top-1 {} ({}/{}), {} more offered the right topic, {} fell back; out of scope: rejected {} ({}/{}); harm {} ({}/{})",
            percent(a.accuracy()),
            a.answered_right,
            a.in_scope,
            a.clarified_right,
            a.rejected,
            percent(a.rejection()),
            a.out_rejected,
            a.out_of_scope,
            percent(a.harm()),
            a.harmful,
            a.total()
        )?;
        if a.scams + a.lookalikes > 0 {
            write!(f, "scam warning:")?;
            for (name, t) in [("all", a), ("zh", &report.zh), ("en", &report.en)] {
                if t.scams + t.lookalikes > 0 {
                    write!(
                        f,
                        " {name}: {}/{} scams, {}/{} look-alikes;",
                        t.scams_warned, t.scams, t.lookalikes_warned, t.lookalikes
                    )?;
                }
            }
            writeln!(f)?;
        }
        if a.wrong_lang > 0 {
            writeln!(f, "answered in the other language: {}", a.wrong_lang)?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.figures())?;
        let misses: Vec<&CaseResult> = self
            .results
            .iter()
            .filter(|r| {
                !r.correct()
                    || (r.case.tagged(LOOKALIKE_TAG) && r.wrongly_warned())
                    || r.case.lang.is_some_and(|lang| lang != r.lang)
            })
            .collect();
        if misses.is_empty() {
            return writeln!(f, "misses: none");
        }
        writeln!(f, "misses ({}):", misses.len())?;
        for r in misses {
            let expected = if r.case.expect.is_empty() {
                "fallback".to_string()
            } else {
                r.case.expect.join("|")
            };
            let got = match r.outcome {
                Outcome::Fallback => "fallback".to_string(),
                Outcome::Answer if r.ids.len() > 1 => {
                    format!("answer {} (covering {})", r.ids[0], r.ids[1..].join(", "))
                }
                outcome => format!("{outcome} {}", r.ids.join(",")),
            };
            let confidence = r.confidence.map_or(String::new(), |c| format!(" ({c:.2})"));
            let harm = if r.harmful() { " HARM" } else { "" };
            let warned = if r.warned { " +warning" } else { "" };
            writeln!(
                f,
                "  {}:{} [{}] {:?}: expected {expected}, got {got}{confidence}{warned}{harm}",
                r.case.file, r.case.line, r.lang, r.case.q
            )?;
        }
        Ok(())
    }
}
