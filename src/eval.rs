//! Measuring the bot on a question set (`faqbot eval`).
//!
//! Each line of the set is `{"q": "...", "expect": ["id", ...]}`; an empty
//! `expect` means the bot must fall back. `@cooling` expects the cooling-off
//! calculator (a message naming the day a deletion was requested). A line is
//! in scope when it expects something, and then it counts as right only when
//! the bot answers outright with one of the expected entries, or with the
//! calculator where `@cooling` is expected (top-1 accuracy). Clarifications
//! that offer a right entry are counted apart, not as right answers.
//!
//! Each question goes through the same routing as a chat's first message
//! ([`conversation::message`] with nothing under way), so the figures
//! measure what a user gets, calculator included.

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
#[serde(deny_unknown_fields)]
pub struct Case {
    pub q: String,
    pub expect: Vec<String>,
    /// The line number in the file (not read from the JSON).
    #[serde(skip)]
    pub line: usize,
}

/// The pseudo-id a case expects when the cooling-off calculator must answer.
pub const COOLING: &str = "@cooling";

/// Reads a question set, one JSON object per line; blank lines are skipped.
/// Every expected id must name an entry of `faq`, or be [`COOLING`] when
/// the knowledge has a `[cooling_off]` section.
pub fn read_cases(path: &Path, faq: &Faq) -> anyhow::Result<Vec<Case>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot open question set {}", path.display()))?;
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
    pub lang: Lang,
    pub outcome: Outcome,
    /// The entry answered ([`COOLING`] for the calculator), or the choices
    /// offered.
    pub ids: Vec<String>,
    /// The matcher's confidence; `None` when the calculator or the
    /// checklist answered, which do not score.
    pub confidence: Option<f32>,
}

impl CaseResult {
    fn in_scope(&self) -> bool {
        !self.case.expect.is_empty()
    }

    /// Whether the bot did the right thing.
    pub fn correct(&self) -> bool {
        if self.in_scope() {
            self.outcome == Outcome::Answer && self.case.expect.contains(&self.ids[0])
        } else {
            self.outcome == Outcome::Fallback
        }
    }

    fn offered_right_choice(&self) -> bool {
        self.outcome == Outcome::Clarify && self.ids.iter().any(|id| self.case.expect.contains(id))
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
    }

    /// Top-1 accuracy on in-scope lines (0–1).
    pub fn accuracy(&self) -> f64 {
        ratio(self.answered_right, self.in_scope)
    }

    /// Share of out-of-scope lines that fell back (0–1).
    pub fn rejection(&self) -> f64 {
        ratio(self.out_rejected, self.out_of_scope)
    }

    /// Share of in-scope lines that fell back (0–1); 0 when there are none.
    pub fn false_rejection(&self) -> f64 {
        if self.in_scope == 0 {
            0.0
        } else {
            ratio(self.rejected, self.in_scope)
        }
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
#[derive(Debug, Clone)]
pub struct Report {
    pub results: Vec<CaseResult>,
    pub all: Tally,
    pub zh: Tally,
    pub en: Tally,
}

/// Runs every case through the bot as a chat's first message, each in the
/// language it is written in: a message naming the day a deletion was
/// requested gets the calculator (counted as answering [`COOLING`]),
/// everything else the matcher's reply.
///
/// `today` is the day the dates in the questions are read against. The
/// figures do not depend on it: whether the calculator answers depends
/// only on whether a message mentions a date at all (past, future and
/// impossible dates all get the calculator, the latter two as a question
/// back), never on which date it is (see [`conversation::message`]).
pub fn evaluate(faq: &Faq, cases: Vec<Case>, today: Date) -> Report {
    evaluate_with(cases, |q| {
        match conversation::message(faq, None, q, None, today, None).response {
            Response::Reply(reply) => Verdict::from(reply.verdict),
            Response::Cooling(cooling) => Verdict::routed(COOLING, cooling.lang()),
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
    })
}

/// Runs every case through the baseline the matcher must beat: a plain
/// edit-distance scan (normalised Levenshtein, `strsim`) over every question
/// variant of every entry, answering the closest entry when it is at least
/// half similar and falling back otherwise (`faqbot eval --baseline`).
pub fn evaluate_baseline(faq: &Faq, cases: Vec<Case>) -> Report {
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
    evaluate_with(cases, |q| {
        let q = normalize(q);
        let (score, id) = variants
            .iter()
            .map(|(v, id)| (strsim::normalized_levenshtein(&q, v), *id))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((0.0, ""));
        let score = score as f32;
        let answered = score >= BASELINE_THRESHOLD;
        Match {
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
        }
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
}

impl Verdict {
    /// An outright answer by something other than the matcher.
    fn routed(id: &str, lang: Lang) -> Verdict {
        Verdict {
            outcome: Outcome::Answer,
            lang,
            ids: vec![id.to_string()],
            confidence: None,
        }
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
        }
    }
}

fn evaluate_with<V: Into<Verdict>>(cases: Vec<Case>, find: impl Fn(&str) -> V) -> Report {
    let mut report = Report {
        results: Vec::new(),
        all: Tally::default(),
        zh: Tally::default(),
        en: Tally::default(),
    };
    for case in cases {
        let verdict = find(&case.q).into();
        let result = CaseResult {
            case,
            lang: verdict.lang,
            outcome: verdict.outcome,
            ids: verdict.ids,
            confidence: verdict.confidence,
        };
        report.all.add(&result);
        match result.lang {
            Lang::Zh => report.zh.add(&result),
            Lang::En => report.en.add(&result),
        }
        report.results.push(result);
    }
    report
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.all;
        writeln!(
            f,
            "in scope:        {} questions, top-1 accuracy {} ({}/{}); {} more got a clarification offering the right topic",
            a.in_scope,
            percent(a.accuracy()),
            a.answered_right,
            a.in_scope,
            a.clarified_right
        )?;
        writeln!(
            f,
            "out of scope:    {} questions, rejected {} ({}/{})",
            a.out_of_scope,
            percent(a.rejection()),
            a.out_rejected,
            a.out_of_scope
        )?;
        writeln!(
            f,
            "false rejection: {} ({}/{})",
            percent(a.false_rejection()),
            a.rejected,
            a.in_scope
        )?;
        for (name, t) in [("zh", &self.zh), ("en", &self.en)] {
            writeln!(
                f,
                "  {name}: in scope {} of {}, out of scope rejected {} of {}, false rejection {}",
                percent(t.accuracy()),
                t.in_scope,
                percent(t.rejection()),
                t.out_of_scope,
                percent(t.false_rejection())
            )?;
        }
        let misses: Vec<&CaseResult> = self.results.iter().filter(|r| !r.correct()).collect();
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
                outcome => format!("{outcome} {}", r.ids.join(",")),
            };
            let confidence = r.confidence.map_or(String::new(), |c| format!(" ({c:.2})"));
            writeln!(
                f,
                "  line {} [{}] {:?}: expected {expected}, got {got}{confidence}",
                r.case.line, r.lang, r.case.q
            )?;
        }
        Ok(())
    }
}
