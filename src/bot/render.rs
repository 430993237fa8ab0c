//! What the bot sends, as Telegram HTML with buttons: every piece of
//! knowledge or user text is escaped here, once, so no knowledge text can
//! break the formatting. Long messages are split within Telegram's limit.
//!
//! Pure functions over the core's types; sending lives in the handlers.

use teloxide::utils::html::escape;

use super::callback::Callback;
use super::stats::Snapshot;
use crate::knowledge::LoadError;
use crate::knowledge::{Entry, Kind, Knowledge};
use crate::live::ReloadSummary;
use crate::matcher::Outcome;
use crate::{Faq, Lang, Reply, text};

/// Telegram's limit on a message's text, in UTF-16 code units.
pub const MAX_MESSAGE_UTF16: usize = 4096;

/// The entries the welcome and the fallback offer as buttons, in order;
/// ids missing from the knowledge are skipped.
pub const MAIN_TOPICS: &[&str] = &[
    "overview",
    "conditions",
    "undo-deletion",
    "backup-videos",
    "after-content-lost",
];

/// A message to send: HTML text and a column of buttons under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub html: String,
    pub buttons: Vec<Button>,
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
            buttons: Vec::new(),
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

/// The engine's reply: the answer with its related topics as buttons, the
/// "did you mean" choices, or the fallback with the main topics.
pub fn reply(reply: &Reply, knowledge: &Knowledge) -> Outgoing {
    let lang = reply.lang();
    match (reply.verdict.outcome, reply.entry) {
        (Outcome::Answer, Some(entry)) => {
            let (_, options) = reply.options();
            Outgoing {
                html: entry_html(entry, lang),
                buttons: options.iter().map(|e| topic_button(e, lang)).collect(),
            }
        }
        (Outcome::Clarify, _) => Outgoing {
            html: escape(text::clarify(lang)),
            buttons: reply
                .suggestions
                .iter()
                .map(|(e, _)| topic_button(e, lang))
                .collect(),
        },
        _ => Outgoing {
            html: escape(text::fallback(lang)),
            buttons: main_buttons(knowledge, lang),
        },
    }
}

/// The main topics and the alternatives, as buttons.
fn main_buttons(knowledge: &Knowledge, lang: Lang) -> Vec<Button> {
    let mut buttons: Vec<Button> = MAIN_TOPICS
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
        LoadError::Invalid { problems, .. } => {
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
        other => vec![format!("{other:#}")],
    };
    Outgoing {
        html: format!(
            "{}\n<pre>{}</pre>",
            escape(heading),
            escape(&lines.join("\n"))
        ),
        buttons: Vec::new(),
    }
}

/// An admin's /stats.
pub fn stats(stats: &Snapshot, lang: Lang) -> Outgoing {
    let secs = stats.uptime.as_secs();
    let uptime = format!(
        "{}d {:02}:{:02}:{:02}",
        secs / 86_400,
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    );
    let top = if stats.top_topics.is_empty() {
        "-".to_string()
    } else {
        stats
            .top_topics
            .iter()
            .enumerate()
            .map(|(i, (id, n))| format!("{}. {id} ({n})", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = match lang {
        Lang::Zh => format!(
            "运行时间 {uptime}\n回答 {}\n无法回答 {}\n反问澄清 {}\n热门话题：\n{top}",
            stats.answered, stats.fallbacks, stats.clarified
        ),
        Lang::En => format!(
            "Uptime {uptime}\nAnswered {}\nFallbacks {}\nClarifications {}\nTop topics:\n{top}",
            stats.answered, stats.fallbacks, stats.clarified
        ),
    };
    Outgoing::plain(&text)
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
