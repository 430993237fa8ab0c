//! The command line's commands, with their input and output passed in so
//! that tests drive them exactly as the binary does. Argument parsing lives
//! in `main.rs`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

use anyhow::Context;

use jiff::civil::Date;

use crate::conversation::{self, Conversation, Response};
use crate::knowledge::{self, Kind, Limits};
use crate::matcher::MatcherConfig;
use crate::store::{Store, Timestamp};
use crate::{Faq, Lang, eval, report, text, triage};

/// How `ask` prints replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// As a person reads them.
    Text,
    /// One JSON object per reply.
    Json,
}

/// `faqbot ask QUESTION`: prints the reply to one question, as a chat's
/// first message gets it (a request date gets the cooling-off dates);
/// `today` is in the bot's time zone.
pub fn ask(
    faq: &Faq,
    question: &str,
    lang: Option<Lang>,
    today: Date,
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let step = conversation::message(faq, None, question, lang, today, None);
    write_response(&step.response, format, out)
}

/// `faqbot ask --explain`: the best-scoring topics for a question, so an
/// admin can see why the bot answered as it did.
pub fn explain(faq: &Faq, question: &str, out: &mut impl Write) -> anyhow::Result<()> {
    let message = faq.read(question);
    writeln!(
        out,
        "features: {}",
        faq.matcher().features(&message).join(" ")
    )?;
    let (scam, topic) = faq.matcher().explain_checks(&message);
    let guess = faq.matcher().example_guess(&message);
    let warned = faq.matcher().verdict(&message, None).safety;
    match (scam, warned) {
        (Some(why), true) => writeln!(out, "scam check: a scam scenario, by {why}")?,
        (Some(why), false) => writeln!(
            out,
            "scam check: its phrases read a scam scenario (by {why}), but the model of example \
             questions is sure {}",
            if guess.is_some_and(|(entry, _)| entry.is_none()) {
                "no entry answers it: it is about something else"
            } else {
                "another entry answers it"
            }
        )?,
        (None, true) => writeln!(
            out,
            "scam check: a scam scenario, by the model of example questions"
        )?,
        (None, false) => {}
    }
    if let Some((topic, cue)) = topic {
        writeln!(out, "scope: {topic}, by the cue \"{cue}\"")?;
    }
    if let Some((entry, probability)) = guess {
        let entry = entry.unwrap_or("no entry (out of scope)");
        writeln!(out, "example questions: {entry} ({probability:.2})")?;
    }
    for (candidate, in_scope, variant) in faq.matcher().rank(&message).into_iter().take(8) {
        let scope = if in_scope { "" } else { " (out of scope)" };
        writeln!(
            out,
            "{:.3}  {}{scope}  via \"{variant}\"",
            candidate.score, candidate.id
        )?;
    }
    writeln!(out, "--")?;
    Ok(())
}

/// `faqbot ask` without a question: answers each line of `input`, in order,
/// streaming. A line that is not UTF-8 is skipped with a warning on `err`;
/// blank lines are skipped. Returns how many questions were answered.
///
/// With `jobs` above 1, that many threads answer lines side by side (each
/// line is a conversation of its own), while this thread reads lines and
/// writes the replies in the order of their lines.
#[allow(clippy::too_many_arguments)]
pub fn ask_lines(
    faq: &Faq,
    mut input: impl BufRead,
    lang: Option<Lang>,
    today: Date,
    format: Format,
    jobs: NonZeroUsize,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<usize> {
    let answer = |line: &str| -> anyhow::Result<Vec<u8>> {
        let mut reply = Vec::new();
        let step = conversation::message(faq, None, line, lang, today, None);
        write_response(&step.response, format, &mut reply)?;
        if format == Format::Text {
            writeln!(reply)?;
        }
        Ok(reply)
    };
    if jobs.get() == 1 {
        let mut answered = 0;
        each_line(&mut input, err, |line| {
            out.write_all(&answer(line)?)?;
            answered += 1;
            Ok(())
        })?;
        out.flush()?;
        return Ok(answered);
    }

    // Lines go to the workers numbered; replies come back in any order and
    // wait in `ready` until those of the lines before them are written.
    // At most `window` lines are in flight, so memory stays bounded
    // whatever the input's length. A worker takes the lines already waiting
    // (up to `TAKE`) and sends their replies back together, so that threads
    // wake once per run of lines rather than once per line.
    const TAKE: usize = 16;
    let window = jobs.get() * 64;
    let (line_tx, line_rx) = mpsc::channel::<(usize, String)>();
    let (reply_tx, reply_rx) = mpsc::channel::<Vec<(usize, anyhow::Result<Vec<u8>>)>>();
    let line_rx = Mutex::new(line_rx);
    std::thread::scope(|scope| {
        for _ in 0..jobs.get() {
            let (line_rx, reply_tx, answer) = (&line_rx, reply_tx.clone(), &answer);
            scope.spawn(move || {
                let mut taken = Vec::with_capacity(TAKE);
                loop {
                    // A poisoned lock means another worker panicked, and
                    // its reply is reported as an error below; stop.
                    let Ok(rx) = line_rx.lock() else {
                        break;
                    };
                    let Ok(first) = rx.recv() else {
                        break;
                    };
                    taken.push(first);
                    taken.extend(rx.try_iter().take(TAKE - 1));
                    drop(rx);
                    let replies = taken
                        .drain(..)
                        .map(|(number, line)| {
                            let reply =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    answer(&line)
                                }))
                                .unwrap_or_else(|_| {
                                    Err(anyhow::anyhow!("answering {line:?} failed"))
                                });
                            (number, reply)
                        })
                        .collect();
                    if reply_tx.send(replies).is_err() {
                        break;
                    }
                }
            });
        }
        drop(reply_tx);
        let mut ready = BTreeMap::new();
        let mut sent = 0;
        let mut written = 0;
        // Writes the replies that are next in line; with `wait`, first
        // waits for one more reply.
        let mut write_ready = |ready: &mut BTreeMap<usize, Vec<u8>>,
                               written: &mut usize,
                               wait: bool|
         -> anyhow::Result<()> {
            let waited = if wait {
                Some(
                    reply_rx
                        .recv()
                        .context("the threads answering questions stopped")?,
                )
            } else {
                None
            };
            for replies in waited.into_iter().chain(reply_rx.try_iter()) {
                for (number, reply) in replies {
                    ready.insert(number, reply?);
                }
            }
            while let Some(reply) = ready.remove(written) {
                out.write_all(&reply)?;
                *written += 1;
            }
            Ok(())
        };
        let read = each_line(&mut input, err, |line| {
            line_tx
                .send((sent, line.to_string()))
                .context("the threads answering questions stopped")?;
            sent += 1;
            let wait = sent - written >= window;
            write_ready(&mut ready, &mut written, wait)
        });
        drop(line_tx);
        // Whatever was answered is written, even when reading failed.
        let mut drained = Ok(());
        while written < sent && drained.is_ok() {
            drained = write_ready(&mut ready, &mut written, true);
        }
        out.flush()?;
        read?;
        drained?;
        Ok(written)
    })
}

/// Calls `f` with each line of `input`, trimmed, skipping blank lines and,
/// with a warning on `err`, lines that are not UTF-8.
fn each_line(
    input: &mut impl BufRead,
    err: &mut impl Write,
    mut f: impl FnMut(&str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        if input
            .read_until(b'\n', &mut buf)
            .context("cannot read standard input")?
            == 0
        {
            return Ok(());
        }
        number += 1;
        let Ok(line) = std::str::from_utf8(&buf) else {
            writeln!(err, "warning: line {number}: not valid UTF-8, skipped")?;
            continue;
        };
        let line = line.trim();
        if !line.is_empty() {
            f(line)?;
        }
    }
}

fn write_response(
    response: &Response<'_>,
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match (response, format) {
        (response, Format::Text) => writeln!(out, "{}", render_text(response, false))?,
        (Response::Reply(reply), Format::Json) => {
            serde_json::to_writer(&mut *out, &reply.to_json())?;
            writeln!(out)?;
        }
        (response, Format::Json) => {
            // The calculator (or the checklist) answered: no entry matched.
            let json = serde_json::json!({
                "matched": false,
                "outcome": match response {
                    Response::Cooling(_) => "cooling",
                    _ => "checklist",
                },
                "id": null,
                "lang": response.lang(),
                "answer": render_text(response, false),
                "suggestions": [],
            });
            serde_json::to_writer(&mut *out, &json)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// A response as plain text; `numbered` numbers a reply's topics.
fn render_text(response: &Response<'_>, numbered: bool) -> String {
    match response {
        Response::Reply(reply) => reply.render_text(numbered),
        Response::Checklist(turn) => turn.render_text(),
        Response::Cooling(cooling) => cooling.render_text(),
    }
}

/// `faqbot chat`: an interactive conversation. Numbered topics in a reply can
/// be picked by typing the number; `/topics`, `/help`, `/lang zh|en` and
/// `quit` work as the help says. Ends at `quit` or end of input.
pub fn chat(
    faq: &Faq,
    mut input: impl BufRead,
    out: &mut impl Write,
    forced: Option<Lang>,
    today: Date,
    prompt: bool,
) -> anyhow::Result<()> {
    let mut lang = forced;
    // The checklist under way, or the calculator waiting for a date.
    let mut current: Option<Conversation> = None;
    let mut runs = 0u32;
    // The language of the last reply: menus and picked topics follow it.
    let mut last = forced.unwrap_or(Lang::En);
    let mut choices: Vec<String> = Vec::new();
    // Until the user has written anything, greet in both languages.
    for greeting in forced.map_or(vec![Lang::Zh, Lang::En], |lang| vec![lang]) {
        writeln!(out, "{}\n", text::chat_help(greeting))?;
    }
    let mut line = String::new();
    loop {
        if prompt {
            write!(out, "> ")?;
            out.flush()?;
        }
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                writeln!(out, "(not valid UTF-8, skipped)")?;
                continue;
            }
            Err(e) => return Err(e).context("cannot read standard input"),
        }
        let message = line.trim();
        match message {
            "" => continue,
            "quit" | "exit" | "/quit" | "/exit" | "退出" => break,
            "/help" | "help" | "帮助" => {
                writeln!(out, "{}\n", text::chat_help(lang.unwrap_or(last)))?;
                continue;
            }
            "/topics" | "topics" | "话题" => {
                let lang = lang.unwrap_or(last);
                choices = topic_order(faq).into_iter().map(|e| e.id.clone()).collect();
                writeln!(out, "{}", text::topics(lang))?;
                for (i, id) in choices.iter().enumerate() {
                    if let Some(entry) = faq.knowledge().entry(id) {
                        writeln!(out, "{}. {}", i + 1, entry.title.get(lang))?;
                    }
                }
                writeln!(out)?;
                continue;
            }
            _ => {}
        }
        if let Some(code) = message.strip_prefix("/lang") {
            match code.trim().parse::<Lang>() {
                Ok(new) => {
                    lang = Some(new);
                    last = new;
                    writeln!(
                        out,
                        "{}\n",
                        if new == Lang::Zh {
                            "好的，用中文回答。"
                        } else {
                            "OK, answering in English."
                        }
                    )?;
                }
                Err(e) => writeln!(out, "{e}\n")?,
            }
            continue;
        }
        let (command, arg) = match message.split_once(char::is_whitespace) {
            Some((command, arg)) => (command, Some(arg.trim())),
            None => (message, None),
        };
        let number = message.parse::<usize>().ok().filter(|_| current.is_none());
        let step = match command {
            "/check" => {
                runs += 1;
                conversation::start_checklist(faq, lang.unwrap_or(last), runs)
            }
            "/cooling" => conversation::cooling_command(faq, arg, lang.unwrap_or(last), today),
            "/reminders" => {
                writeln!(
                    out,
                    "{}\n",
                    text::reminders_on_telegram(lang.unwrap_or(last))
                )?;
                continue;
            }
            "/cancel" => {
                let lang = lang.unwrap_or(last);
                let said = if current.take().is_some() {
                    text::cancelled(lang)
                } else {
                    text::nothing_to_cancel(lang)
                };
                writeln!(out, "{said}\n")?;
                continue;
            }
            // A number picks a listed topic, unless a checklist is under way.
            _ if number.is_some() => {
                let lang = lang.unwrap_or(last);
                let picked = number
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| choices.get(i));
                let Some(reply) = picked.and_then(|id| faq.topic(id, lang)) else {
                    writeln!(out, "{}\n", text::no_such_choice(lang, choices.len()))?;
                    continue;
                };
                writeln!(out, "{}\n", reply.render_text(true))?;
                let (_, options) = reply.options();
                choices = options.iter().map(|e| e.id.clone()).collect();
                continue;
            }
            _ => {
                runs += 1;
                Some(conversation::message(
                    faq,
                    current.take(),
                    message,
                    lang,
                    today,
                    Some(runs),
                ))
            }
        };
        let Some(step) = step else {
            writeln!(out, "{}\n", text::guided_unavailable(lang.unwrap_or(last)))?;
            continue;
        };
        if step.left {
            writeln!(out, "{}", text::checklist_left(step.response.lang()))?;
        }
        writeln!(out, "{}\n", render_text(&step.response, true))?;
        choices = match &step.response {
            Response::Reply(reply) => reply.options().1.iter().map(|e| e.id.clone()).collect(),
            _ => Vec::new(),
        };
        last = step.response.lang();
        current = step.conversation;
    }
    Ok(())
}

/// Entries in menu order: by kind, then as written.
fn topic_order(faq: &Faq) -> Vec<&knowledge::Entry> {
    let mut entries: Vec<&knowledge::Entry> = faq.knowledge().entries.iter().collect();
    entries.sort_by_key(|e| Kind::ALL.iter().position(|k| *k == e.kind));
    entries
}

/// `faqbot check`: prints every problem as `file:line: message` and a summary.
/// Returns whether the knowledge is valid (warnings allowed).
pub fn check(dir: &Path, limits: &Limits, out: &mut impl Write) -> anyhow::Result<bool> {
    let report = knowledge::check(dir, limits)?;
    for problem in &report.problems {
        writeln!(out, "{problem}")?;
    }
    let errors = report.problems.iter().filter(|p| p.is_error()).count();
    let warnings = report.problems.len() - errors;
    match &report.knowledge {
        Some(k) => {
            let checklist = k.checklist.as_ref().map_or(String::new(), |c| {
                format!(", a checklist of {} conditions", c.items.len())
            });
            let cooling = k.cooling_off.as_ref().map_or(String::new(), |c| {
                format!(", a {}-day cooling-off period", c.days)
            });
            writeln!(
                out,
                "ok: {} entries, {} synonym groups, {} out-of-scope groups{checklist}{cooling}, {} example questions in {} files ({warnings} warnings)",
                k.entries.len(),
                k.synonyms.len(),
                k.out_of_scope.len(),
                k.examples.len(),
                report.files
            )?
        }
        None => writeln!(
            out,
            "{errors} errors, {warnings} warnings in {}",
            dir.display()
        )?,
    }
    Ok(report.knowledge.is_some())
}

/// `faqbot eval`: runs question sets and prints the figures and, unless
/// `summary`, every miss. Returns the report so the caller can compare it
/// with its limits. With `baseline`, measures the plain edit-distance
/// baseline instead. With `leave_out`, each file is measured by a matcher
/// whose model of the example questions was trained without the examples
/// of the same set (see [`eval::set_name`]): its figures are those of a
/// set the knowledge never saw. `today` (in the bot's time zone) is what
/// dates in the questions are read against; the figures do not depend on it.
pub fn eval(
    faq: &Faq,
    paths: &[PathBuf],
    options: EvalOptions,
    today: Date,
    out: &mut impl Write,
) -> anyhow::Result<eval::Report> {
    let mut report = eval::Report::default();
    for path in paths {
        let cases = eval::read_cases(path, faq)?;
        let set = eval::set_name(path);
        if options.baseline {
            report.extend(eval::evaluate_baseline(faq, cases));
        } else if options.leave_out && has_examples(faq, &set) {
            let mut knowledge = faq.knowledge().clone();
            knowledge.examples.retain(|example| example.source != set);
            // A model for each set left out: too many for the cache of
            // trained models, which keeps only a few.
            let config = MatcherConfig {
                model_cache: None,
                ..faq.matcher().config().clone()
            };
            let unseen = Faq::new(knowledge, config);
            report.extend(eval::evaluate(&unseen, cases, today));
        } else {
            report.extend(eval::evaluate(faq, cases, today));
        }
    }
    if options.summary {
        write!(out, "{}", report.figures())?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(report)
}

/// Whether the knowledge holds example questions from the set `set` (only
/// then is a matcher built without them).
fn has_examples(faq: &Faq, set: &str) -> bool {
    faq.knowledge().examples.iter().any(|e| e.source == set)
}

/// How `faqbot eval` measures and what it prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// Measure the plain edit-distance baseline instead of the matcher.
    pub baseline: bool,
    /// Measure each set without the example questions of the same name.
    pub leave_out: bool,
    /// Print the figures only, not the misses.
    pub summary: bool,
}

/// Which report `faqbot report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    Unanswered,
    Feedback,
}

/// `faqbot report`: the unanswered or feedback report since `since`.
/// `faq` (needed for unanswered) gives the nearest entries as the
/// knowledge is now.
pub fn report(
    store: &dyn Store,
    faq: Option<&Faq>,
    kind: ReportKind,
    since: Timestamp,
    format: report::Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let text = match (kind, faq) {
        (ReportKind::Unanswered, Some(faq)) => {
            report::format_unanswered(&triage::groups(store, faq, since)?, format)
        }
        (ReportKind::Unanswered, None) => {
            anyhow::bail!("the unanswered report needs the knowledge")
        }
        (ReportKind::Feedback, _) => {
            report::format_feedback(&report::worst_first(store.feedback(since)?), format)
        }
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// `faqbot suggest`: for each group of unanswered questions, its nearest
/// entries and the TOML line to paste into one of them.
pub fn suggest(
    store: &dyn Store,
    faq: &Faq,
    since: Timestamp,
    limit: usize,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let groups = triage::groups(store, faq, since)?;
    if groups.is_empty() {
        writeln!(out, "# No unanswered questions in this window.")?;
        return Ok(());
    }
    for g in groups.iter().take(limit) {
        let phrasing = triage::phrasing(g);
        // A TOML string, quoted and escaped as the knowledge files need it.
        let line = toml_edit::Value::from(phrasing.as_str()).to_string();
        let users = if g.users == 1 { "user" } else { "users" };
        writeln!(
            out,
            "# group {} · asked {} times by {} {users} · {}",
            g.id, g.count, g.users, g.lang
        )?;
        if phrasing != g.example {
            writeln!(out, "# asked: {}", g.example)?;
        }
        for c in &g.nearest {
            writeln!(out, "# nearest: {} ({:.2})", c.id, c.score)?;
        }
        if phrasing.is_empty() {
            writeln!(
                out,
                "# nothing to paste: the question is only masked values\n"
            )?;
            continue;
        }
        if let Some(best) = g.nearest.first() {
            writeln!(
                out,
                "# paste into questions.{} of entry \"{}\", or run: faqbot suggest --apply {} --to {}",
                triage::list_lang(&g.example),
                best.id,
                g.id,
                best.id
            )?;
        }
        writeln!(out, "  {},\n", line.trim())?;
    }
    if groups.len() > limit {
        writeln!(out, "# … {} more groups (--limit)", groups.len() - limit)?;
    }
    Ok(())
}

/// What `faqbot suggest --apply/--ignore` does.
#[derive(Debug, Clone, Copy)]
pub enum Triage<'a> {
    /// Add group `group` to `entry` (the nearest when `None`).
    Add {
        group: &'a str,
        entry: Option<&'a str>,
    },
    Ignore {
        group: &'a str,
    },
}

/// `faqbot suggest --apply ID [--to ENTRY]` and `--ignore ID`.
pub fn triage(
    store: &dyn Store,
    faq: &Faq,
    dir: &Path,
    limits: &Limits,
    since: Timestamp,
    action: Triage,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let (Triage::Add { group, .. } | Triage::Ignore { group }) = action;
    let found = triage::find(store, faq, since, group)?;
    let done = match action {
        Triage::Ignore { .. } => triage::ignore(store, &found)?,
        Triage::Add { entry, .. } => {
            let entry = match entry {
                Some(entry) => entry.to_string(),
                None => found
                    .nearest
                    .first()
                    .map(|c| c.id.clone())
                    .context("no entry is near this group; name one with --to")?,
            };
            triage::add(store, dir, limits, &found, &entry)?
        }
    };
    match done {
        triage::Triaged::Added {
            entry,
            question,
            file,
        } => writeln!(
            out,
            "added \"{question}\" to {entry} in {}\n(a running bot picks it up with knowledge.watch, /reload or SIGHUP)",
            file.display()
        )?,
        triage::Triaged::AlreadyThere { entry, question } => writeln!(
            out,
            "{entry} already has \"{question}\"; the group is marked as added"
        )?,
        triage::Triaged::Ignored => writeln!(out, "group {group} ignored")?,
    }
    Ok(())
}
