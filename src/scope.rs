//! The scope gate, made before matching: is this message about a topic next
//! to the bot's that it must not answer?
//!
//! Each `[[out_of_scope]]` topic may list `when` cues (renaming: "改名",
//! "#nickname+改") and `unless` cues; `[scope] frame` lists the cues that a
//! message is about deleting the Channels account. A topic is out of play
//! for a message that holds one of its `unless` cues or, if the topic is
//! framed, one of the frame's (`[scope] not_deleting` cues, "不注销", cancel
//! the frame). A message that holds a `when` cue of a topic
//! in play belongs to that topic and falls back with its reply, whatever
//! entry shares its words: "视频号怎么改名" is about
//! renaming, not about what happens to a name after deleting. "注销后名字还
//! 能用吗" holds the frame ("注销"), so the matcher decides. A topic's `sure`
//! cues decide even then: "注销微信账号以后视频号会怎样" names the Channels
//! account, but what it deletes is the whole WeChat account. In a message
//! of more than one sentence only the part that asks can hold the `when`
//! and `sure` cues that decide ([`ScopeGate::read`]); the frame and
//! `unless` come from the whole message.
//!
//! A cue is parts that must all occur: synonym concepts, as the message's
//! analysis found them (so typos, pinyin and traditional characters count),
//! and phrases, looked for in the message's normalised readings.

use rustc_hash::FxHashMap;

use crate::knowledge::{Cue, CuePart, Knowledge};
use crate::message::Asked;
use crate::phrases::Phrases;

/// A part of a compiled cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Phrase(u32),
    Concept(u32),
}

/// Whose cue a compiled cue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Frame,
    NotDeleting,
    When(u32),
    Unless(u32),
    Sure(u32),
    /// An entry's own cue (by the entry's position in the knowledge).
    Entry(u32),
}

/// An out-of-scope topic's cues.
#[derive(Debug, Clone)]
struct Topic {
    id: String,
    /// The `when` cues, then the `sure` ones.
    when: Vec<Vec<Part>>,
    /// The `when` and `sure` cues as written, to explain a decision.
    when_text: Vec<String>,
    /// Whether the frame puts the topic out of play too.
    framed: bool,
}

/// What the gate makes of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'g> {
    /// The entries (by their position in the knowledge) whose own cues the
    /// message holds.
    pub cued: Vec<usize>,
    /// The out-of-scope topic the message's cues put it in, if any.
    pub topic: Option<&'g str>,
    /// Per out-of-scope topic (in the knowledge's order), whether it is out
    /// of play for this message: its `unless` cues (or the frame) hold, so
    /// its examples must not turn the message away either.
    pub silenced: Vec<bool>,
    /// Whether the message is about deleting the Channels account (the
    /// frame holds and nothing cancels it).
    pub framed: bool,
    /// Whether one of the topic's `sure` cues decided it.
    pub sure: bool,
}

/// The scope gate over one knowledge base. Immutable once built.
#[derive(Debug, Clone)]
pub struct ScopeGate {
    phrases: Phrases<u32>,
    phrase_count: usize,
    /// The concepts cues name, by number.
    concepts: Vec<String>,
    topics: Vec<Topic>,
    /// The phrases of the `not_deleting` and `contents` cues (a concept's
    /// terms included): blanked out before the other phrases are looked
    /// for, so that the "注销" of "不注销" neither frames a message nor puts
    /// a topic out of play, nor does the "删除视频号" of "删除视频号里的视频".
    blanks: Phrases<()>,
    /// Every cue with its owner, for reading a message by the parts it
    /// holds rather than by trying every cue.
    cues: Vec<(Vec<Part>, Owner)>,
    /// Per phrase and per concept: the cues whose first part it is.
    by_phrase: Vec<Vec<u32>>,
    by_concept: Vec<Vec<u32>>,
}

/// What a message holds of the cues' parts.
struct Seen {
    phrases: Vec<bool>,
    concepts: Vec<bool>,
    /// The phrases and concepts held, each once.
    phrase_list: Vec<u32>,
    concept_list: Vec<u32>,
}

impl Seen {
    fn has(&self, cue: &[Part]) -> bool {
        cue.iter().all(|part| match *part {
            Part::Phrase(i) => self.phrases[i as usize],
            Part::Concept(i) => self.concepts[i as usize],
        })
    }
}

impl ScopeGate {
    /// Compiles the cues of `knowledge`'s out-of-scope topics and frame.
    pub fn new(knowledge: &Knowledge) -> ScopeGate {
        let mut phrase_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut concept_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut compile = |cues: &[Cue]| -> Vec<Vec<Part>> {
            cues.iter()
                .map(|cue| {
                    cue.iter()
                        .map(|part| match part {
                            CuePart::Phrase(p) => {
                                let next = phrase_ids.len() as u32;
                                Part::Phrase(*phrase_ids.entry(p.clone()).or_insert(next))
                            }
                            CuePart::Concept(c) => {
                                let next = concept_ids.len() as u32;
                                Part::Concept(*concept_ids.entry(c.clone()).or_insert(next))
                            }
                        })
                        .collect()
                })
                .collect()
        };
        let frame = compile(&knowledge.scope.frame);
        let not_deleting = compile(&knowledge.scope.not_deleting);
        let blanks = Phrases::new(
            knowledge
                .scope
                .not_deleting
                .iter()
                .chain(&knowledge.scope.contents)
                .flatten()
                .flat_map(|part| match part {
                    CuePart::Phrase(p) => vec![p.clone()],
                    CuePart::Concept(c) => knowledge
                        .synonyms
                        .iter()
                        .filter(|group| &group.concept == c)
                        .flat_map(|group| group.terms.zh.iter().chain(&group.terms.en))
                        .cloned()
                        .collect(),
                })
                .map(|phrase| (phrase, ())),
        );
        let mut cues: Vec<(Vec<Part>, Owner)> = Vec::new();
        let mut own = |compiled: &[Vec<Part>], owner: Owner| {
            cues.extend(compiled.iter().map(|cue| (cue.clone(), owner)));
        };
        own(&frame, Owner::Frame);
        own(&not_deleting, Owner::NotDeleting);
        for (i, entry) in knowledge.entries.iter().enumerate() {
            own(&compile(&entry.cues), Owner::Entry(i as u32));
        }
        let mut topics = Vec::with_capacity(knowledge.out_of_scope.len());
        for (i, t) in knowledge.out_of_scope.iter().enumerate() {
            let mut when = compile(&t.when);
            own(&when, Owner::When(i as u32));
            own(&compile(&t.unless), Owner::Unless(i as u32));
            let sure = compile(&t.sure);
            own(&sure, Owner::Sure(i as u32));
            when.extend(sure);
            topics.push(Topic {
                id: t.id.clone(),
                when_text: t.when.iter().chain(&t.sure).map(cue_text).collect(),
                when,
                framed: t.framed,
            });
        }
        let mut by_phrase = vec![Vec::new(); phrase_ids.len()];
        let mut by_concept = vec![Vec::new(); concept_ids.len()];
        for (i, (cue, _)) in cues.iter().enumerate() {
            match cue.first() {
                Some(Part::Phrase(p)) => by_phrase[*p as usize].push(i as u32),
                Some(Part::Concept(c)) => by_concept[*c as usize].push(i as u32),
                None => {}
            }
        }
        let mut concepts = vec![String::new(); concept_ids.len()];
        for (name, id) in concept_ids {
            concepts[id as usize] = name;
        }
        let phrase_count = phrase_ids.len();
        ScopeGate {
            phrases: Phrases::new(phrase_ids),
            phrase_count,
            concepts,
            topics,
            blanks,
            cues,
            by_phrase,
            by_concept,
        }
    }

    /// The phrases and concepts of the cues that a message holds.
    fn seen<'t>(&self, readings: impl IntoIterator<Item = &'t str>, concepts: &[&str]) -> Seen {
        let mut seen = Seen {
            phrases: vec![false; self.phrase_count],
            concepts: vec![false; self.concepts.len()],
            phrase_list: Vec::new(),
            concept_list: Vec::new(),
        };
        for (i, concept) in self.concepts.iter().enumerate() {
            if concepts.contains(&concept.as_str()) {
                seen.concepts[i] = true;
                seen.concept_list.push(i as u32);
            }
        }
        for text in readings {
            self.phrases.each(&self.blanks.blank(text), |id| {
                let slot = &mut seen.phrases[id as usize];
                if !*slot {
                    *slot = true;
                    seen.phrase_list.push(id);
                }
            });
        }
        seen
    }

    /// Reads a message: which out-of-scope topic its cues put it in, and
    /// which topics are out of play. `readings` are the message's normalised
    /// readings; `concepts` the synonym concepts its analysis found; `asked`
    /// the part that asks, for a message of more than one sentence
    /// ([`crate::message::Message::asked`]): then the whole message says
    /// what it is about (the frame, `unless`, entries' cues), but only the
    /// part that asks can put it in a topic (`when`, `sure`).
    pub fn read<'t>(
        &self,
        readings: impl IntoIterator<Item = &'t str>,
        concepts: &[&str],
        asked: Option<&Asked<'_>>,
    ) -> Verdict<'_> {
        let asked = asked.map(|a| self.seen(a.readings.iter().copied(), &a.concepts));
        self.decide(&self.seen(readings, concepts), asked.as_ref())
    }

    /// The cues whose first part the message holds (the only ones worth
    /// trying).
    fn firsts<'s>(&'s self, seen: &'s Seen) -> impl Iterator<Item = u32> + 's {
        seen.phrase_list
            .iter()
            .flat_map(|&p| &self.by_phrase[p as usize])
            .chain(
                seen.concept_list
                    .iter()
                    .flat_map(|&c| &self.by_concept[c as usize]),
            )
            .copied()
    }

    /// What the cues a message holds decide; with `asked` (what the part
    /// that asks holds), only that part's `when` and `sure` cues count.
    fn decide(&self, seen: &Seen, asked: Option<&Seen>) -> Verdict<'_> {
        let count = self.topics.len();
        let (mut when, mut unless) = (vec![false; count], vec![false; count]);
        let mut sure = vec![false; count];
        let (mut frame, mut not_deleting) = (false, false);
        let mut cued = Vec::new();
        for cue in self.firsts(seen) {
            let (parts, owner) = &self.cues[cue as usize];
            if !seen.has(parts) {
                continue;
            }
            match *owner {
                Owner::Frame => frame = true,
                Owner::NotDeleting => not_deleting = true,
                Owner::When(t) if asked.is_none() => when[t as usize] = true,
                Owner::Unless(t) => unless[t as usize] = true,
                Owner::Sure(t) if asked.is_none() => sure[t as usize] = true,
                Owner::Entry(e) => cued.push(e as usize),
                Owner::When(_) | Owner::Sure(_) => {}
            }
        }
        if let Some(asked) = asked {
            for cue in self.firsts(asked) {
                let (parts, owner) = &self.cues[cue as usize];
                if !asked.has(parts) {
                    continue;
                }
                match *owner {
                    Owner::When(t) => when[t as usize] = true,
                    Owner::Sure(t) => sure[t as usize] = true,
                    _ => {}
                }
            }
        }
        cued.sort_unstable();
        cued.dedup();
        // A topic is out of play when one of its `unless` cues holds or, for
        // a framed topic, the frame does (and nothing cancels it), unless one
        // of its `sure` cues holds.
        let framed = frame && !not_deleting;
        let silenced: Vec<bool> = (0..count)
            .map(|t| !sure[t] && ((self.topics[t].framed && framed) || unless[t]))
            .collect();
        // The first topic in play one of whose `when` (or `sure`) cues holds.
        let decided = (0..count).find(|&t| sure[t] || (when[t] && !silenced[t]));
        Verdict {
            cued,
            topic: decided.map(|t| self.topics[t].id.as_str()),
            silenced,
            framed,
            sure: decided.is_some_and(|t| sure[t]),
        }
    }

    /// Why a message falls in a topic: the topic and the first of its
    /// `when` cues that the message holds (`faqbot ask --explain`).
    pub fn explain<'t>(
        &self,
        readings: impl IntoIterator<Item = &'t str>,
        concepts: &[&str],
        asked: Option<&Asked<'_>>,
    ) -> Option<(&str, &str)> {
        let seen = self.seen(readings, concepts);
        let asked = asked.map(|a| self.seen(a.readings.iter().copied(), &a.concepts));
        let id = self.decide(&seen, asked.as_ref()).topic?;
        let topic = self.topics.iter().find(|t| t.id == id)?;
        let cues_seen = asked.as_ref().unwrap_or(&seen);
        let cue = topic
            .when
            .iter()
            .position(|cue| cues_seen.has(cue))
            .map_or("", |i| topic.when_text[i].as_str());
        Some((id, cue))
    }

    /// The out-of-scope topic a message belongs to, if its cues decide it.
    pub fn topic<'t>(
        &self,
        readings: impl IntoIterator<Item = &'t str>,
        concepts: &[&str],
    ) -> Option<&str> {
        self.read(readings, concepts, None).topic
    }
}

/// A cue as written in the knowledge files.
fn cue_text(cue: &Cue) -> String {
    let parts: Vec<String> = cue
        .iter()
        .map(|part| match part {
            CuePart::Concept(c) => format!("#{c}"),
            CuePart::Phrase(p) => p.clone(),
        })
        .collect();
    parts.join("+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::{Bilingual, OutOfScope, Scope};

    fn phrase(p: &str) -> CuePart {
        CuePart::Phrase(crate::normalize::normalize(p))
    }

    fn gate() -> ScopeGate {
        let mut knowledge = Knowledge::default();
        knowledge.scope = Scope {
            main: Vec::new(),
            frame: vec![
                vec![phrase("注销")],
                vec![CuePart::Concept("cooling".into())],
            ],
            not_deleting: vec![vec![phrase("不注销")]],
            contents: vec![vec![phrase("视频号里的")]],
            bare: Vec::new(),
            self_framed: Vec::new(),
            twins: Vec::new(),
        };
        let topic = |id: &str, when: Vec<Cue>, unless: Vec<Cue>| OutOfScope {
            id: id.into(),
            questions: Bilingual::default(),
            reply: None,
            framed: unless.is_empty(),
            when,
            unless,
            sure: Vec::new(),
            offer: Vec::new(),
        };
        knowledge.out_of_scope = vec![
            topic(
                "rename",
                vec![
                    vec![phrase("改名")],
                    vec![CuePart::Concept("nickname".into()), phrase("改")],
                ],
                Vec::new(),
            ),
            OutOfScope {
                sure: vec![vec![phrase("注销公众号以后")]],
                ..topic(
                    "delete-other",
                    vec![vec![phrase("注销公众号")]],
                    vec![vec![phrase("视频号")]],
                )
            },
        ];
        ScopeGate::new(&knowledge)
    }

    #[test]
    fn a_cue_decides_unless_the_message_is_about_deleting() {
        let g = gate();
        assert_eq!(g.topic(["视频号怎么改名"], &[]), Some("rename"));
        assert_eq!(g.topic(["名字能改几次"], &["nickname"]), Some("rename"));
        assert_eq!(g.topic(["名字能改几次"], &[]), None);
        assert_eq!(g.topic(["注销后改名还能用吗"], &[]), None);
        assert_eq!(g.topic(["改名要等冷静期吗"], &["cooling"]), None);
    }

    #[test]
    fn in_a_story_only_the_part_that_asks_puts_it_in_a_topic() {
        let g = gate();
        let asked = |readings: &[&'static str]| Asked {
            readings: readings.to_vec(),
            concepts: Vec::new(),
        };
        let story = ["去年改名了 现在号不想要了 怎么弄"];
        // Read whole, the background's "改名" decides.
        assert_eq!(g.read(story, &[], None).topic, Some("rename"));
        // Read by what it asks, nothing does; the whole still frames it.
        assert_eq!(g.read(story, &[], Some(&asked(&["怎么弄"]))).topic, None);
        assert_eq!(g.explain(story, &[], Some(&asked(&["怎么弄"]))), None);
        // A cue in the question still decides, and names itself.
        let renaming = ["号是前年开的 粉丝不多 怎么改名"];
        let question = asked(&["怎么改名"]);
        assert_eq!(g.read(renaming, &[], Some(&question)).topic, Some("rename"));
        assert_eq!(
            g.explain(renaming, &[], Some(&question)),
            Some(("rename", "改名"))
        );
        // The frame comes from the whole message.
        let framed = ["我在冷静期 想问个事 怎么改名"];
        assert_eq!(
            g.read(framed, &["cooling"], Some(&question)).silenced,
            [true, false]
        );
        assert_eq!(g.read(framed, &["cooling"], Some(&question)).topic, None);
    }

    #[test]
    fn saying_it_is_not_about_deleting_cancels_the_frame() {
        let g = gate();
        assert_eq!(g.topic(["我不注销，只想改名"], &[]), Some("rename"));
        assert_eq!(
            g.read(["我不注销，只想改名"], &[], None).silenced,
            [false, false]
        );
    }

    #[test]
    fn what_is_inside_the_account_is_not_the_account() {
        let g = gate();
        // "删除视频号里的…" is not "删除视频号": the exception does not hold.
        assert_eq!(g.topic(["怎么注销公众号"], &[]), Some("delete-other"));
        assert_eq!(
            g.topic(["视频号里的公众号链接 怎么注销公众号"], &[]),
            Some("delete-other")
        );
        assert_eq!(g.topic(["注销公众号前先注销视频号吗"], &[]), None);
        // It does not cancel the frame as "不注销" does.
        assert_eq!(
            g.read(["注销后视频号里的名字还能改吗"], &[], None).silenced,
            [true, false]
        );
    }

    #[test]
    fn a_topic_may_name_its_own_exceptions() {
        let g = gate();
        assert_eq!(g.topic(["怎么注销公众号"], &[]), Some("delete-other"));
        assert_eq!(g.topic(["注销公众号前先注销视频号吗"], &[]), None);
    }

    #[test]
    fn a_sure_cue_decides_whatever_else_the_message_holds() {
        let g = gate();
        // "注销公众号以后" says what is deleted, though the message names the
        // Channels account (an exception) and holds the frame (注销).
        assert_eq!(
            g.topic(["注销公众号以后视频号会怎样"], &[]),
            Some("delete-other")
        );
        assert_eq!(
            g.read(["注销公众号以后视频号会怎样"], &[], None).silenced,
            [true, false]
        );
        assert_eq!(g.topic(["注销视频号以后公众号会怎样"], &[]), None);
    }

    #[test]
    fn a_topic_whose_exceptions_hold_is_out_of_play() {
        let g = gate();
        assert_eq!(g.read(["改名"], &[], None).silenced, [false, false]);
        // About deleting: renaming is out of play; deleting another
        // account is not, until the Channels account is named.
        assert_eq!(
            g.read(["注销后还能改名吗"], &[], None).silenced,
            [true, false]
        );
        assert_eq!(g.read(["注销视频号"], &[], None).silenced, [true, true]);
    }
}
