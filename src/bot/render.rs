//! What the bot sends, as Telegram HTML with buttons: every piece of
//! knowledge or user text is escaped here, once, so no knowledge text can
//! break the formatting. Long messages are split within Telegram's limit.
//!
//! Pure functions over the core's types; sending lives in the handlers.

use teloxide::utils::html::escape;

use super::callback::Callback;
use crate::checklist::{Answer, Next, Turn};
use crate::conversation::{Response, Step};
use crate::cooling::{Cooling, Standing};
use crate::knowledge::LoadError;
use crate::knowledge::{Entry, Kind, Knowledge};
use crate::live::ReloadSummary;
use crate::matcher::Outcome;
use crate::report::{self, UnansweredGroup};
use crate::store::Reminder;
use crate::store::{Counters, EntryFeedback, Forgotten};
use crate::triage::{TriageError, Triaged};
use crate::{Faq, Lang, Reply, text};

/// Telegram's limit on a message's text, in UTF-16 code units.
pub const MAX_MESSAGE_UTF16: usize = 4096;

/// A message to send: HTML text, a column of buttons under it, and rows of
/// small action buttons (feedback) under those.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub html: String,
    pub buttons: Vec<Button>,
    pub actions: Vec<Vec<Button>>,
}

/// One inline button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub callback: Callback,
}

impl Outgoing {
    /// A message of plain text, escaped, without buttons.
    pub fn plain(text: &str) -> Outgoing {
        Outgoing {
            html: escape(text),
            ..Outgoing::default()
        }
    }

    /// The text split into messages within Telegram's limit.
    pub fn chunks(&self) -> Vec<String> {
        split(&self.html, MAX_MESSAGE_UTF16)
    }
}

fn topic_button(entry: &Entry, lang: Lang) -> Button {
    Button {
        label: entry.title.get(lang).clone(),
        callback: Callback::Topic {
            lang,
            id: entry.id.clone(),
        },
    }
}

/// An entry's title and answer, as an answer or a button's topic shows it.
pub fn entry_html(entry: &Entry, lang: Lang) -> String {
    format!(
        "<b>{}</b>\n\n{}",
        escape(entry.title.get(lang)),
        escape(entry.answer.get(lang))
    )
}

/// The engine's reply: the answer with its related topics as buttons and
/// the feedback buttons, the "did you mean" choices, or the fallback with
/// the main topics.
pub fn reply(reply: &Reply, knowledge: &Knowledge) -> Outgoing {
    let lang = reply.lang();
    match (reply.verdict.outcome, reply.entry) {
        (Outcome::Answer, Some(entry)) => {
            let (_, options) = reply.options();
            let mut actions = guided_buttons(entry, knowledge, lang);
            actions.extend(feedback_buttons(entry, lang));
            Outgoing {
                html: entry_html(entry, lang),
                buttons: options.iter().map(|e| topic_button(e, lang)).collect(),
                actions,
            }
        }
        (Outcome::Clarify, _) => Outgoing {
            html: escape(text::clarify(lang, reply.suggestions.len())),
            buttons: reply
                .suggestions
                .iter()
                .map(|(e, _)| topic_button(e, lang))
                .collect(),
            ..Outgoing::default()
        },
        _ if reply.offered => Outgoing {
            html: escape(&reply.body()),
            buttons: reply.main.iter().map(|e| topic_button(e, lang)).collect(),
            ..Outgoing::default()
        },
        _ => Outgoing {
            html: escape(&reply.body()),
            buttons: main_buttons(knowledge, lang),
            ..Outgoing::default()
        },
    }
}

/// Under a condition, a button that starts the readiness checklist; under
/// the cooling-off entries, one that works out the user's dates.
fn guided_buttons(entry: &Entry, knowledge: &Knowledge, lang: Lang) -> Vec<Vec<Button>> {
    let mut rows = Vec::new();
    if entry.kind == Kind::Condition && knowledge.checklist.is_some() {
        rows.push(vec![Button {
            label: text::checklist_button(lang).to_string(),
            callback: Callback::StartChecklist { lang },
        }]);
    }
    if knowledge
        .cooling_off
        .as_ref()
        .is_some_and(|c| c.entries.contains(&entry.id))
    {
        rows.push(vec![Button {
            label: text::cooling_button(lang).to_string(),
            callback: Callback::AskCooling { lang },
        }]);
    }
    rows
}

/// What a message or command led to: an answer, a checklist step, or the
/// cooling-off calculator; after a note, if it left a checklist under way.
pub fn step(step: &Step<'_>, knowledge: &Knowledge, days_before: u16) -> Outgoing {
    let mut out = match &step.response {
        Response::Reply(r) => reply(r, knowledge),
        Response::Checklist(turn) => checklist(turn),
        Response::Cooling(c) => cooling(c, days_before),
    };
    if step.left {
        let note = escape(text::checklist_left(step.response.lang()));
        out.html = format!("{note}\n\n{}", out.html);
    }
    out
}

/// A step of the readiness checklist: the fix for the condition just
/// answered "no" or "not sure", then the next question with its answer
/// buttons, or the summary with buttons to the topics it names.
pub fn checklist(turn: &Turn<'_>) -> Outgoing {
    let lang = turn.lang;
    let mut parts = Vec::new();
    if let Some(intro) = turn.intro {
        parts.push(escape(intro));
    }
    if let Some(fix) = &turn.fix {
        parts.push(format!(
            "{}{}",
            escape(text::checklist_fix_heading(lang)),
            escape(fix.item.fix.get(lang))
        ));
    }
    let mut out = Outgoing::default();
    match &turn.next {
        Next::Ask {
            number,
            total,
            item,
            ..
        } => {
            parts.push(format!(
                "<b>{number}/{total}</b> {}",
                escape(item.ask.get(lang))
            ));
            let step = u8::try_from(turn.step).unwrap_or(u8::MAX);
            out.actions.push(
                Answer::ALL
                    .into_iter()
                    .map(|answer| Button {
                        label: answer.label(lang).to_string(),
                        callback: Callback::Checklist {
                            run: turn.run,
                            step,
                            answer,
                        },
                    })
                    .collect(),
            );
        }
        Next::Summary(summary) => {
            parts.push(escape(&summary.render_text(lang)));
            let mut seen = Vec::new();
            let entries = summary
                .blockers
                .iter()
                .map(|b| b.entry)
                .chain(summary.backups.iter().map(|(e, _)| *e))
                .chain(summary.next);
            for entry in entries {
                if !seen.contains(&&entry.id) {
                    seen.push(&entry.id);
                    out.buttons.push(topic_button(entry, lang));
                }
            }
        }
    }
    out.html = parts.join("\n\n");
    out
}

/// The cooling-off calculator's answer: the dates with a "remind me"
/// button while a reminder `days_before` the end is still ahead and the
/// request date is exact (a reminder counted from a rough date could come
/// after the real end), and the topic on undoing (or on final deletion); or
/// its question back.
pub fn cooling(cooling: &Cooling<'_>, days_before: u16) -> Outgoing {
    let mut out = Outgoing::plain(&cooling.render_text());
    if let Cooling::Dates {
        lang,
        period,
        approximate,
        undo,
        gone,
        ..
    } = cooling
    {
        if !approximate && let Some(day) = period.reminder_day(days_before) {
            out.actions.push(vec![Button {
                label: text::remind_button(day, *lang),
                callback: Callback::Remind {
                    lang: *lang,
                    requested: period.requested,
                },
            }]);
        }
        let topic = match period.standing_given(*approximate) {
            Standing::Over { .. } => gone,
            _ => undo,
        };
        out.buttons
            .extend(topic.iter().map(|entry| topic_button(entry, *lang)));
    }
    out
}

/// `/reminders`: the chat's reminders, each with a button to cancel it.
/// Days are shown in `tz`, the bot's time zone.
pub fn reminders(reminders: &[Reminder], tz: &jiff::tz::TimeZone, lang: Lang) -> Outgoing {
    let mut text = text::reminders_heading(reminders.len(), lang);
    let mut out = Outgoing::default();
    for reminder in reminders {
        let day = jiff::Timestamp::from_second(reminder.remind_at)
            .map_or(reminder.last_day, |at| {
                at.to_zoned_datetime(tz.clone()).date()
            });
        text.push('\n');
        text.push_str(&text::reminder_line(day, reminder.last_day, lang));
        out.buttons.push(Button {
            label: text::cancel_reminder_button(day, lang),
            callback: Callback::CancelReminder { id: reminder.id },
        });
    }
    out.html = escape(&text);
    out
}

/// 👍 and 👎 under every answer, and under a step "this doesn't match my
/// app" (WeChat's menus change; the guide describes the 2023 client).
fn feedback_buttons(entry: &Entry, lang: Lang) -> Vec<Vec<Button>> {
    let vote = |helpful: bool| Button {
        label: if helpful { "👍" } else { "👎" }.to_string(),
        callback: Callback::Vote {
            helpful,
            lang,
            id: entry.id.clone(),
        },
    };
    let mut rows = vec![vec![vote(true), vote(false)]];
    if entry.kind == Kind::Step {
        rows.push(vec![Button {
            label: text::mismatch_button(lang).to_string(),
            callback: Callback::Mismatch {
                lang,
                id: entry.id.clone(),
            },
        }]);
    }
    rows
}

/// The main topics and the alternatives, as buttons.
fn main_buttons(knowledge: &Knowledge, lang: Lang) -> Vec<Button> {
    let mut buttons: Vec<Button> = knowledge
        .scope
        .main
        .iter()
        .filter_map(|id| knowledge.entry(id))
        .map(|e| topic_button(e, lang))
        .collect();
    if knowledge
        .entries
        .iter()
        .any(|e| e.kind == Kind::Alternative)
    {
        buttons.push(Button {
            label: text::alternatives(lang).to_string(),
            callback: Callback::Alternatives { lang },
        });
    }
    buttons
}

/// /start and /help: the greeting, the commands, and the main topics.
pub fn welcome(knowledge: &Knowledge, lang: Lang, admin: bool) -> Outgoing {
    let mut html = escape(text::welcome(lang));
    html.push_str("\n\n");
    html.push_str(&escape(text::commands_heading(lang)));
    for (command, description) in super::commands::menu(lang, admin) {
        html.push_str(&format!("\n/{command} — {}", escape(description)));
    }
    html.push_str("\n\n");
    html.push_str(&escape(text::main_topics(lang)));
    Outgoing {
        html,
        buttons: main_buttons(knowledge, lang),
        ..Outgoing::default()
    }
}

/// The alternatives to deleting, one button each.
pub fn alternatives(knowledge: &Knowledge, lang: Lang) -> Outgoing {
    let buttons: Vec<Button> = knowledge
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Alternative)
        .map(|e| topic_button(e, lang))
        .collect();
    if buttons.is_empty() {
        return Outgoing::plain(text::topic_missing(lang));
    }
    Outgoing {
        html: format!("<b>{}</b>", escape(text::alternatives(lang))),
        buttons,
        ..Outgoing::default()
    }
}

/// One topic chosen directly (a button, a shortcut command, a deep link):
/// the answer with its related topics, as [`Faq::topic`] gives it.
pub fn topic(faq: &Faq, id: &str, lang: Lang) -> Option<Outgoing> {
    faq.topic(id, lang).map(|r| reply(&r, faq.knowledge()))
}

/// A short plain-text preview of an entry's answer, for inline results.
pub fn preview(entry: &Entry, lang: Lang, max_chars: usize) -> String {
    let answer = entry.answer.get(lang);
    let first = answer.lines().next().unwrap_or_default();
    if first.chars().count() <= max_chars {
        return first.to_string();
    }
    let mut out: String = first.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Problems listed in a failed reload's reply; the rest are counted.
const MAX_PROBLEMS_SHOWN: usize = 20;

/// An admin's /reload that worked: what changed and how long it took.
pub fn reload_done(summary: &ReloadSummary, lang: Lang) -> Outgoing {
    let ms = summary.elapsed.as_millis();
    let list = |ids: &[String]| {
        if ids.is_empty() {
            String::new()
        } else {
            format!(" ({})", ids.join(", "))
        }
    };
    let (added, changed, removed) = (
        list(&summary.added),
        list(&summary.changed),
        list(&summary.removed),
    );
    let (na, nc, nr) = (
        summary.added.len(),
        summary.changed.len(),
        summary.removed.len(),
    );
    let text = match lang {
        Lang::Zh => format!(
            "知识库已重新加载，用时 {ms} 毫秒，共 {} 条。\n新增 {na}{added}\n修改 {nc}{changed}\n删除 {nr}{removed}",
            summary.entries
        ),
        Lang::En => format!(
            "Knowledge reloaded in {ms} ms: {} entries.\nAdded {na}{added}\nChanged {nc}{changed}\nRemoved {nr}{removed}",
            summary.entries
        ),
    };
    Outgoing::plain(&text)
}

/// An admin's /reload that failed: the old knowledge is still live, and
/// every problem as `file:line: message`.
pub fn reload_failed(err: &LoadError, lang: Lang) -> Outgoing {
    let heading = match lang {
        Lang::Zh => "重新加载失败，仍在使用原来的知识库。问题：",
        Lang::En => "Reload failed; the old knowledge is still live. Problems:",
    };
    let lines: Vec<String> = match err {
        LoadError::Invalid { problems, .. } => problem_lines(problems),
        other => vec![format!("{other:#}")],
    };
    with_problems(heading, &lines)
}

/// Problems as lines, the first [`MAX_PROBLEMS_SHOWN`] and a count.
fn problem_lines(problems: &[crate::knowledge::Problem]) -> Vec<String> {
    let mut lines: Vec<String> = problems
        .iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(ToString::to_string)
        .collect();
    if problems.len() > MAX_PROBLEMS_SHOWN {
        lines.push(format!("… +{}", problems.len() - MAX_PROBLEMS_SHOWN));
    }
    lines
}

fn with_problems(heading: &str, lines: &[String]) -> Outgoing {
    Outgoing {
        html: format!(
            "{}\n<pre>{}</pre>",
            escape(heading),
            escape(&lines.join("\n"))
        ),
        ..Outgoing::default()
    }
}

/// An admin's /stats: counts over the store's life, and this process's
/// uptime.
pub fn stats(counters: &Counters, uptime: std::time::Duration, lang: Lang) -> Outgoing {
    let secs = uptime.as_secs();
    let uptime = format!(
        "{}d {:02}:{:02}:{:02}",
        secs / 86_400,
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    );
    let top = if counters.topics.is_empty() {
        "-".to_string()
    } else {
        counters
            .topics
            .iter()
            .take(5)
            .enumerate()
            .map(|(i, (id, n))| format!("{}. {id} ({n})", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let c = counters;
    let text = match lang {
        Lang::Zh => format!(
            "运行时间 {uptime}\n累计：回答 {}，无法回答 {}，反问澄清 {}\n\
             条件检查：开始 {}，完成 {}；冷静期计算 {}；提醒：设置 {}，已发送 {}\n热门话题：\n{top}",
            c.answered,
            c.fallbacks,
            c.clarified,
            c.checklists_started,
            c.checklists_finished,
            c.dates,
            c.reminders_set,
            c.reminders_sent
        ),
        Lang::En => format!(
            "Uptime {uptime}\nAll time: answered {}, fallbacks {}, clarifications {}\n\
             Checklists: {} started, {} finished; cooling-off dates: {}; reminders: {} set, {} sent\n\
             Top topics:\n{top}",
            c.answered,
            c.fallbacks,
            c.clarified,
            c.checklists_started,
            c.checklists_finished,
            c.dates,
            c.reminders_set,
            c.reminders_sent
        ),
    };
    Outgoing::plain(&text)
}

/// What /forget deleted. Conversations in progress and reminders are
/// named only when there were some.
pub fn forgotten(f: &Forgotten, lang: Lang) -> Outgoing {
    let text = match lang {
        Lang::Zh => {
            let mut items = vec![
                if f.language {
                    "语言设置".to_string()
                } else {
                    "无语言设置".to_string()
                },
                format!("{} 个答案评价", f.votes),
                format!("{} 条“和我的微信不一样”反馈", f.mismatches),
                format!("{} 条未解答的问题", f.questions),
            ];
            if f.sessions > 0 {
                items.push(format!("{} 个进行中的对话", f.sessions));
            }
            if f.reminders > 0 {
                items.push(format!("{} 个提醒", f.reminders));
            }
            format!("已删除我保存的关于你的全部记录：{}。", items.join("，"))
        }
        Lang::En => {
            let mut items = vec![
                if f.language {
                    "your language setting".to_string()
                } else {
                    "no language setting".to_string()
                },
                format!("{} votes", f.votes),
                format!("{} \"my app looks different\" reports", f.mismatches),
                format!("{} unanswered questions", f.questions),
            ];
            if f.sessions > 0 {
                let noun = if f.sessions == 1 {
                    "conversation"
                } else {
                    "conversations"
                };
                items.push(format!("{} {noun} in progress", f.sessions));
            }
            if f.reminders > 0 {
                let noun = if f.reminders == 1 {
                    "reminder"
                } else {
                    "reminders"
                };
                items.push(format!("{} {noun}", f.reminders));
            }
            let last = items.pop().unwrap_or_default();
            format!(
                "Done: I deleted everything I kept about you: {} and {last}.",
                items.join(", ")
            )
        }
    };
    Outgoing::plain(&text)
}

/// The heading of /unanswered: how many groups are shown of how many.
pub fn unanswered_heading(shown: usize, total: usize, lang: Lang) -> Outgoing {
    let text = match (total, lang) {
        (0, Lang::Zh) => "最近 30 天没有未解答的问题。".to_string(),
        (0, Lang::En) => "No unanswered questions in the last 30 days.".to_string(),
        (_, Lang::Zh) => format!(
            "最近 30 天未解答的问题，最常见的 {shown} 组（共 {total} 组）。点按钮把问法加到某个话题，或忽略："
        ),
        (_, Lang::En) => format!(
            "Unanswered questions in the last 30 days: the top {shown} of {total} groups. Tap to add the phrasing to a topic, or ignore it:"
        ),
    };
    Outgoing::plain(&text)
}

/// One group of /unanswered, with its triage buttons.
pub fn unanswered_group(
    rank: usize,
    group: &UnansweredGroup,
    knowledge: &Knowledge,
    lang: Lang,
) -> Outgoing {
    let nearest = group
        .nearest
        .iter()
        .map(|c| format!("{} {:.2}", c.id, c.score))
        .collect::<Vec<_>>()
        .join(", ");
    let (asked, near) = match lang {
        Lang::Zh => (
            format!("被问 {} 次，{} 位用户", group.count, group.users),
            "最接近：",
        ),
        Lang::En => (
            format!(
                "asked {} times by {} user{}",
                group.count,
                group.users,
                if group.users == 1 { "" } else { "s" }
            ),
            "Nearest: ",
        ),
    };
    let mut buttons: Vec<Button> = group
        .nearest
        .iter()
        .filter_map(|c| knowledge.entry(&c.id))
        .map(|entry| Button {
            label: match lang {
                Lang::Zh => format!("➕ 加到：{}", entry.title.get(lang)),
                Lang::En => format!("➕ Add to: {}", entry.title.get(lang)),
            },
            callback: Callback::AddToEntry {
                group: group.id.clone(),
                id: entry.id.clone(),
            },
        })
        .collect();
    buttons.push(Button {
        label: text::ignore_button(lang).to_string(),
        callback: Callback::Ignore {
            group: group.id.clone(),
        },
    });
    Outgoing {
        html: format!(
            "<b>{rank}.</b> {} · {}\n<code>{}</code>\n{}{}",
            escape(&asked),
            group.lang,
            escape(&group.example),
            escape(near),
            escape(if nearest.is_empty() { "-" } else { &nearest }),
        ),
        buttons,
        ..Outgoing::default()
    }
}

/// What a triage button did (and the reload after an edit).
pub fn triaged(
    result: &Result<Triaged, TriageError>,
    reload: Option<&Result<ReloadSummary, LoadError>>,
    lang: Lang,
) -> Outgoing {
    let done = match result {
        Ok(Triaged::Added {
            entry,
            question,
            file,
        }) => match lang {
            Lang::Zh => format!("已把“{question}”加到 {entry}（{}）。", file.display()),
            Lang::En => format!("Added \"{question}\" to {entry} ({}).", file.display()),
        },
        Ok(Triaged::AlreadyThere { entry, question }) => match lang {
            Lang::Zh => format!("{entry} 已经有“{question}”这个问法，这组不再显示。"),
            Lang::En => {
                format!("{entry} already has \"{question}\"; the group won't be listed again.")
            }
        },
        Ok(Triaged::Ignored) => match lang {
            Lang::Zh => "已忽略，这组不再显示。".to_string(),
            Lang::En => "Ignored; the group won't be listed again.".to_string(),
        },
        Err(TriageError::NoSuchGroup(_)) => text::group_gone(lang).to_string(),
        Err(TriageError::Edit(crate::knowledge::edit::EditError::Invalid(problems))) => {
            let heading = match lang {
                Lang::Zh => "没有修改：改后的知识库通不过检查。问题：",
                Lang::En => {
                    "Nothing changed: the edited knowledge would not pass the check. Problems:"
                }
            };
            return with_problems(heading, &problem_lines(problems));
        }
        Err(err) => match lang {
            Lang::Zh => format!("没有修改：{err}"),
            Lang::En => format!("Nothing changed: {err}"),
        },
    };
    let mut out = Outgoing::plain(&done);
    match reload {
        Some(Ok(summary)) => {
            out.html.push('\n');
            out.html.push_str(&reload_done(summary, lang).html);
        }
        Some(Err(err)) => {
            out.html.push('\n');
            out.html.push_str(&reload_failed(err, lang).html);
        }
        None => {}
    }
    out
}

/// Entries shown by /feedback at most.
const MAX_FEEDBACK_SHOWN: usize = 30;

/// An admin's /feedback: votes and mismatch reports per entry, worst first.
pub fn feedback(feedback: &[EntryFeedback], lang: Lang) -> Outgoing {
    if feedback.is_empty() {
        return Outgoing::plain(match lang {
            Lang::Zh => "还没有答案评价。",
            Lang::En => "No feedback on answers yet.",
        });
    }
    let heading = match lang {
        Lang::Zh => "答案评价，最差在前（👍/👎，👍 占比，⚠️ = “和我的微信不一样”）：",
        Lang::En => {
            "Feedback on answers, worst first (👍/👎, share of 👍, ⚠️ = \"my app looks different\"):"
        }
    };
    let mut lines = vec![heading.to_string()];
    for f in feedback.iter().take(MAX_FEEDBACK_SHOWN) {
        let share = report::helpful_share(f).map_or("-".into(), |s| format!("{:.0}%", s * 100.0));
        let mut line = format!("{}: 👍 {} 👎 {} ({share})", f.entry, f.helpful, f.unhelpful);
        if f.mismatches > 0 {
            line.push_str(&format!(" ⚠️ {}", f.mismatches));
        }
        lines.push(line);
    }
    if feedback.len() > MAX_FEEDBACK_SHOWN {
        lines.push(format!("… +{}", feedback.len() - MAX_FEEDBACK_SHOWN));
    }
    Outgoing::plain(&lines.join("\n"))
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Splits HTML into pieces of at most `limit` UTF-16 units, cutting at a
/// paragraph break if it can, else a line break, else a space, and never
/// inside a tag, an entity or an open element.
pub fn split(html: &str, limit: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut rest = html.trim();
    while utf16_len(rest) > limit {
        let cut = cut_point(rest, limit);
        let (head, tail) = rest.split_at(cut);
        chunks.push(head.trim_end().to_string());
        rest = tail.trim_start();
    }
    if !rest.is_empty() || chunks.is_empty() {
        chunks.push(rest.to_string());
    }
    chunks
}

/// The byte index to cut `text` at so the head fits `limit` UTF-16 units.
fn cut_point(text: &str, limit: usize) -> usize {
    let (mut in_tag, mut in_entity, mut depth) = (false, false, 0i32);
    let (mut paragraph, mut line, mut space, mut any) = (0, 0, 0, 0);
    let mut units = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let safe = !in_tag && !in_entity && depth == 0 && at > 0;
        if safe {
            any = at;
            if c == '\n' {
                line = at;
                if text[..at].ends_with('\n') {
                    paragraph = at;
                }
            } else if c == ' ' {
                space = at;
            }
        }
        units += c.len_utf16();
        if units > limit {
            break;
        }
        match c {
            '<' => {
                in_tag = true;
                let closing = chars.peek().is_some_and(|&(_, next)| next == '/');
                depth += if closing { -1 } else { 1 };
            }
            '>' => in_tag = false,
            '&' => in_entity = true,
            ';' => in_entity = false,
            _ => {}
        }
    }
    // Prefer a cut that keeps at least half the limit in the head.
    let half = |at: usize| utf16_len(&text[..at]) >= limit / 2;
    [paragraph, line, space]
        .into_iter()
        .find(|&at| at > 0 && half(at))
        .unwrap_or(if any > 0 {
            any
        } else {
            // No safe point at all (an element longer than the limit): cut at
            // the last character boundary that fits.
            text.char_indices()
                .scan(0, |units, (at, c)| {
                    *units += c.len_utf16();
                    Some((at, *units))
                })
                .take_while(|&(_, units)| units <= limit)
                .last()
                .map_or(text.len(), |(at, _)| at.max(1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgotten_names_sessions_and_reminders_only_when_there_were_some() {
        let none = Forgotten {
            language: true,
            votes: 1,
            questions: 2,
            ..Forgotten::default()
        };
        assert_eq!(
            forgotten(&none, Lang::Zh).html,
            "已删除我保存的关于你的全部记录：语言设置，1 个答案评价，0 条“和我的微信不一样”反馈，2 条未解答的问题。"
        );
        assert_eq!(
            forgotten(&none, Lang::En).html,
            escape(
                "Done: I deleted everything I kept about you: your language setting, 1 votes, 0 \"my app looks different\" reports and 2 unanswered questions."
            )
        );
        let some = Forgotten {
            sessions: 1,
            reminders: 2,
            ..none
        };
        assert_eq!(
            forgotten(&some, Lang::Zh).html,
            "已删除我保存的关于你的全部记录：语言设置，1 个答案评价，0 条“和我的微信不一样”反馈，2 条未解答的问题，1 个进行中的对话，2 个提醒。"
        );
        assert_eq!(
            forgotten(&some, Lang::En).html,
            escape(
                "Done: I deleted everything I kept about you: your language setting, 1 votes, 0 \"my app looks different\" reports, 2 unanswered questions, 1 conversation in progress and 2 reminders."
            )
        );
    }

    #[test]
    fn short_text_is_one_chunk() {
        assert_eq!(split("<b>hi</b>\n\nthere", 4096), ["<b>hi</b>\n\nthere"]);
        assert_eq!(split("", 4096), [""]);
    }

    #[test]
    fn long_text_splits_at_paragraphs_within_the_limit() {
        let paragraph = "视频号注销。".repeat(300); // 1800 units
        let html = format!("<b>标题</b>\n\n{p}\n\n{p}\n\n{p}", p = paragraph);
        let chunks = split(&html, MAX_MESSAGE_UTF16);
        assert_eq!(
            chunks.len(),
            2,
            "{:?}",
            chunks.iter().map(|c| utf16_len(c)).collect::<Vec<_>>()
        );
        assert!(chunks.iter().all(|c| utf16_len(c) <= MAX_MESSAGE_UTF16));
        assert!(chunks[0].starts_with("<b>标题</b>"));
        assert_eq!(chunks.concat().matches("视频号").count(), 900);
    }

    #[test]
    fn a_split_never_breaks_an_entity_a_tag_or_an_emoji() {
        let html = format!("<b>t</b> {}", "a&amp;b 😀 &lt;x&gt; ".repeat(400));
        for chunk in split(&html, 100) {
            assert!(utf16_len(&chunk) <= 100);
            assert_eq!(
                chunk.matches('&').count(),
                chunk.matches(';').count(),
                "{chunk}"
            );
            assert_eq!(
                chunk.matches('<').count(),
                chunk.matches('>').count(),
                "{chunk}"
            );
        }
        // Text without any space or break still splits.
        let chunks = split(&"字".repeat(5000), 4096);
        assert_eq!(
            chunks.iter().map(|c| c.chars().count()).collect::<Vec<_>>(),
            [4096, 904]
        );
    }

    #[test]
    fn knowledge_text_is_escaped() {
        let mut entry = Entry {
            id: "x".into(),
            kind: Kind::Step,
            title: Default::default(),
            questions: Default::default(),
            answer: Default::default(),
            related: Vec::new(),
            cues: Vec::new(),
        };
        entry.title.en = "<i>Tags</i> & co".into();
        entry.answer.en = "Use <b>bold</b> & 1 < 2".into();
        let html = entry_html(&entry, Lang::En);
        assert_eq!(
            html,
            "<b>&lt;i&gt;Tags&lt;/i&gt; &amp; co</b>\n\nUse &lt;b&gt;bold&lt;/b&gt; &amp; 1 &lt; 2"
        );
    }
}
