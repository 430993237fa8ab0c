//! The matcher: an inverted index over every question variant of every
//! entry, and the decision between answering, asking "did you mean", and
//! falling back.
//!
//! Each variant (and each title) is analysed into features ([`crate::analyze`]).
//! A feature weighs its kind's factor times its rarity across topics (idf).
//! A message is scored against the variants that share at least one feature
//! with it (the index; never a scan of all variants): the share of the
//! message's weight the variant explains, and the share of the variant's weight
//! the message covers, combined geometrically, so short keyword messages and
//! long ones both find their variant. An entry scores its best variant, plus a
//! little for how much of the message its variants cover together. Synonym
//! concepts weigh most, and never count as common (see `MIN_CONCEPT_IDF`).
//! A message of several clauses is also scored clause by clause; a clause's
//! score is discounted by how little of the message's content it holds
//! (questions count double), and each entry keeps its best score. In a story
//! of three or more sentences, its last question is also scored together
//! with the sentence before it (what its pronouns stand for), at
//! `STORY_QUESTION_FACTOR`: the question decides, not the story's many
//! topic words. A message
//! naming none of the concepts needs stronger evidence.
//!
//! Out-of-scope examples are indexed like entries; when one of them fits best,
//! the outcome is a fallback. Scam triggers override everything.

use std::cell::RefCell;
use std::sync::Arc;
// Feature ids come from the knowledge base (messages only look them up), so a
// fast non-keyed hash is safe.
use rustc_hash::FxHashMap as HashMap;

use serde::Deserialize;

use crate::Lang;
use crate::analyze::{Analysis, Analyzer, Feature, FeatureKind};
use crate::examples::cache::ModelCache;
use crate::examples::{ExampleModel, Guess};
use crate::knowledge::Knowledge;
use crate::message::Message;
use crate::normalize;
use crate::safety::{ScamCheck, Why};
use crate::scope::ScopeGate;

/// How the matcher decides (`[matcher]` in the settings).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MatcherConfig {
    /// The lowest score that may be answered outright.
    pub answer_threshold: f32,
    /// How far the best entry must lead the second to be answered outright.
    pub answer_margin: f32,
    /// An entry below `answer_threshold` but scoring at least this is
    /// answered outright when it leads the second by `clear_lead`.
    pub lead_threshold: f32,
    /// See `lead_threshold`.
    pub clear_lead: f32,
    /// The lowest score offered as a "did you mean" choice; below it, fall back.
    pub clarify_threshold: f32,
    /// Choices are the entries within this distance of the best one.
    pub clarify_window: f32,
    /// At most this many "did you mean" choices.
    pub max_choices: usize,
    /// A message that is not about deleting the account, whose best entry
    /// is not self-framed, falls back when an out-of-scope topic's examples
    /// score within this distance of that entry (and at least
    /// `clarify_threshold`); otherwise it is offered the entries as choices.
    pub unframed_window: f32,
    /// Weight of "how much of the message a variant explains" against "how
    /// much of the variant the message covers" (0–1).
    pub query_weight: f32,
    /// Weight of the entry-wide coverage of the message against the best
    /// single variant (0–1).
    pub entry_weight: f32,
    /// How much a word the knowledge base never uses counts, relative to the
    /// rarest known word (0–1).
    pub unknown_weight: f32,
    /// How much a single clause's score depends on its share of the
    /// message's known content (0: not at all; 1: entirely).
    pub clause_share: f32,
    /// Entry scores of a message that names none of the synonym concepts (the
    /// domain's key words) are multiplied by this (0–1).
    pub no_concept_factor: f32,
    /// Only this many characters of a message are matched (the start and the
    /// end; the middle of longer messages is ignored).
    pub max_input_chars: usize,
    /// A message the matcher would offer choices for is answered with one
    /// of them when the model of the knowledge's example questions
    /// ([`crate::examples`]) puts it first with at least this probability
    /// (0–1; 1 turns the model off).
    pub example_answer: f32,
    /// An answer becomes a choice when that model gives another entry, or
    /// "no entry", at least this probability (0–1; 1 turns it off).
    pub example_veto: f32,
    /// An answer becomes the other entry the matcher found that the model
    /// gives at least this probability (0–1; 1 turns it off).
    pub example_switch: f32,
    /// A message the matcher's scores would turn away (not a scope cue) is
    /// answered with an entry it found that the model gives at least this
    /// probability (0–1; 1 turns it off).
    pub example_rescue: f32,
    /// An answer the model gives at least this probability stands even when
    /// the message does not say it is about deleting the account (0–1; 1
    /// turns it off).
    pub example_endorse: f32,
    /// A message the scam check's phrases pass gets the scam warning when
    /// the model gives the warning's entry at least this probability (0–1;
    /// 1 turns it off).
    pub example_scam: f32,
    /// A message the scam check's phrases flag gets the answer of an entry
    /// (not the warning's) that the model gives at least this probability
    /// (0–1; 1 turns it off).
    pub example_not_scam: f32,
    /// A message the scam check's phrases flag is read as an ordinary
    /// question when the model gives "no entry" at least this probability
    /// (0–1; 1 turns it off): "扫码" with "登录" in a question about logging
    /// in to the web assistant is not a stranger's QR code.
    pub example_not_scam_off_topic: f32,
    /// An answer the model vetoes, giving "no entry" at least this
    /// probability, falls back instead of becoming a choice, and so do
    /// choices offered for a message it gives "no entry" this probability
    /// (0–1; 1 turns it off).
    pub example_turn_away: f32,
    /// Where the trained model of the example questions is kept between
    /// starts; `None` trains it at every start. Not a `[matcher]` key: the
    /// settings set it from `knowledge.cache` and `knowledge.cache_dir`.
    #[serde(skip)]
    pub model_cache: Option<ModelCache>,
}

impl Default for MatcherConfig {
    fn default() -> Self {
        MatcherConfig {
            answer_threshold: 0.45,
            answer_margin: 0.07,
            lead_threshold: 0.33,
            clear_lead: 0.1,
            clarify_threshold: 0.3,
            clarify_window: 0.12,
            max_choices: 3,
            unframed_window: 0.3,
            query_weight: 0.5,
            entry_weight: 0.1,
            unknown_weight: 0.7,
            clause_share: 0.5,
            no_concept_factor: 0.7,
            max_input_chars: 2000,
            example_answer: 0.6,
            example_veto: 0.97,
            example_switch: 0.8,
            example_rescue: 0.95,
            example_endorse: 0.999,
            example_scam: 0.998,
            example_not_scam: 0.995,
            example_not_scam_off_topic: 0.99,
            example_turn_away: 0.99,
            model_cache: None,
        }
    }
}

impl MatcherConfig {
    /// These settings with every rule of the model of example questions
    /// off (each `example_*` at 1): the matcher's own verdicts.
    pub fn without_example_model(self) -> MatcherConfig {
        MatcherConfig {
            example_answer: 1.0,
            example_veto: 1.0,
            example_switch: 1.0,
            example_rescue: 1.0,
            example_endorse: 1.0,
            example_scam: 1.0,
            example_not_scam: 1.0,
            example_not_scam_off_topic: 1.0,
            example_turn_away: 1.0,
            ..self
        }
    }
}

/// What the bot does with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// One entry is clearly right.
    Answer,
    /// A few entries are close: offer them as choices.
    Clarify,
    /// Nothing fits: say what the bot can help with.
    Fallback,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Answer => "answer",
            Outcome::Clarify => "clarify",
            Outcome::Fallback => "fallback",
        })
    }
}

/// An entry and how well it matched, in [0, 1].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    pub id: String,
    pub score: f32,
}

/// The matcher's verdict on one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub outcome: Outcome,
    /// How sure the matcher is of the outcome, in [0, 1].
    pub confidence: f32,
    /// The language to reply in.
    pub lang: Lang,
    /// The entry answered (only for [`Outcome::Answer`]).
    pub answer: Option<Candidate>,
    /// For a clarification, the choices; for an answer, the next-best entries
    /// (and, after a scam warning, what the message otherwise matched).
    pub suggestions: Vec<Candidate>,
    /// True when the scam check decided the answer.
    pub safety: bool,
    /// For a fallback, the out-of-scope topic that decided it (its cues, or
    /// its examples fitting best), whose reply says what the bot covers.
    pub topic: Option<String>,
}

/// One topic in the index: an entry, or an out-of-scope example group.
#[derive(Debug)]
struct Target {
    id: String,
    in_scope: bool,
    /// Whether the entry answers a message outside the frame
    /// (`[scope] self_framed`).
    self_framed: bool,
}

/// The matcher over one knowledge base. Immutable once built; cheap to share.
#[derive(Debug)]
pub struct Matcher {
    analyzer: Arc<Analyzer>,
    config: MatcherConfig,
    targets: Vec<Target>,
    /// Feature (by its 64-bit hash, see [`feature_key`]) → feature number.
    feature_ids: HashMap<u64, u32>,
    /// Per feature: its weight (kind factor × idf).
    weights: Vec<f32>,
    /// Per feature: the variants that have it.
    postings: Lists,
    /// Per feature: the targets that have it (each once).
    target_postings: Lists,
    /// Per variant: its target and the inverse of the squared norm of its
    /// weights (multiplied by in the hot loop, where a division is slower).
    variants: Vec<(u32, f32)>,
    /// Per variant: its text, to explain a match.
    variant_texts: Vec<String>,
    /// Each entry's own questions and titles, by [`question_key`]: a
    /// message that is one of them word for word is that entry's question.
    known: HashMap<u64, u32>,
    /// The weight given to a feature the knowledge base never uses, per unit of factor.
    unknown_idf: f32,
    safety: Option<ScamCheck>,
    /// The target of the scam check's entry.
    scam_target: Option<usize>,
    scope: ScopeGate,
    /// How many targets are entries; the out-of-scope topics follow them.
    entry_count: usize,
    /// Concepts that alone never carry an answer (`[scope] bare`).
    bare: Vec<String>,
    /// Pairs of entries (by id) answered rather than offered when they come
    /// first together (`[scope] twins`).
    twins: Vec<[String; 2]>,
    /// The model of the knowledge's example questions.
    examples: ExampleModel,
}

impl Matcher {
    /// Builds the index over `knowledge`.
    pub fn new(knowledge: &Knowledge, config: MatcherConfig) -> Matcher {
        let analyzer = Arc::new(Analyzer::new(knowledge));
        // The model of the example questions reads its questions as
        // messages are read, and is trained on a second core while the
        // index is built on this one.
        let max_chars = config.max_input_chars;
        let read = |text: &str| Message::new(&analyzer, max_chars, text).into_reading();
        let cache = config.model_cache.clone();
        std::thread::scope(|scope| {
            let examples = scope.spawn(|| match cache {
                Some(cache) => cache.model(knowledge, &read),
                None => ExampleModel::from_knowledge(knowledge, &read),
            });
            let mut matcher = Matcher::index(knowledge, config, Arc::clone(&analyzer));
            // Training only counts; a panic there is a bug to surface.
            matcher.examples = examples
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            matcher
        })
    }

    /// The index over `knowledge`, without the model of its examples.
    fn index(knowledge: &Knowledge, config: MatcherConfig, analyzer: Arc<Analyzer>) -> Matcher {
        let mut targets = Vec::new();
        let mut variant_texts: Vec<(u32, Vec<&str>)> = Vec::new();
        for entry in &knowledge.entries {
            let texts = entry
                .questions
                .all()
                .chain([&entry.title.zh, &entry.title.en])
                .map(String::as_str)
                .collect();
            variant_texts.push((targets.len() as u32, texts));
            targets.push(Target {
                id: entry.id.clone(),
                in_scope: true,
                self_framed: knowledge.scope.self_framed.contains(&entry.id),
            });
        }
        for scope in &knowledge.out_of_scope {
            let texts = scope.questions.all().map(String::as_str);
            variant_texts.push((targets.len() as u32, texts.collect()));
            targets.push(Target {
                id: scope.id.clone(),
                in_scope: false,
                self_framed: false,
            });
        }

        let mut feature_ids: HashMap<u64, u32> = HashMap::default();
        let mut kinds = Vec::new();
        let mut variant_features: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut texts_kept = Vec::new();
        let mut known = HashMap::default();
        for (target, texts) in variant_texts {
            for text in texts {
                texts_kept.push(text.to_string());
                if targets[target as usize].in_scope {
                    known
                        .entry(question_key(&normalize::normalize(text)))
                        .or_insert(target);
                }
                let analysis = analyzer.analyze(text);
                let ids = analysis
                    .features
                    .iter()
                    .map(|feature| {
                        *feature_ids.entry(feature_key(feature)).or_insert_with(|| {
                            kinds.push(feature.kind);
                            (kinds.len() - 1) as u32
                        })
                    })
                    .collect();
                variant_features.push((target, ids));
            }
        }

        let (postings, target_postings) = Lists::postings(kinds.len(), &variant_features);
        let target_count = targets.len().max(1) as f32;
        let idf = |df: usize| (1.0 + target_count / df.max(1) as f32).ln();
        let weights: Vec<f32> = kinds
            .iter()
            .enumerate()
            .map(|(f, kind)| {
                let idf = idf(target_postings.get(f).len());
                // Concepts are the domain's words: even the commonest (视频号,
                // 注销) still says the message is about this topic.
                let idf = if *kind == FeatureKind::Concept {
                    idf.max(MIN_CONCEPT_IDF)
                } else {
                    idf
                };
                kind.factor() * idf
            })
            .collect();
        let variants = variant_features
            .iter()
            .map(|(target, ids)| {
                let norm: f32 = ids.iter().map(|&f| weights[f as usize].powi(2)).sum();
                (*target, if norm > 0.0 { norm.recip() } else { 0.0 })
            })
            .collect();
        let safety = knowledge.safety.as_ref().map(ScamCheck::new);
        let scam_target = safety.as_ref().and_then(|check| {
            targets
                .iter()
                .position(|t| t.in_scope && t.id == check.entry())
        });
        Matcher {
            analyzer,
            config,
            targets,
            feature_ids,
            weights,
            postings,
            target_postings,
            variants,
            variant_texts: texts_kept,
            known,
            unknown_idf: idf(1),
            safety,
            scam_target,
            scope: ScopeGate::new(knowledge),
            entry_count: knowledge.entries.len(),
            bare: knowledge.scope.bare.clone(),
            twins: knowledge.scope.twins.clone(),
            examples: ExampleModel::default(),
        }
    }

    /// What the model of the example questions makes of a message: the
    /// entry it puts first (`None`: no entry answers it) and its
    /// probability; `None` when the model knows nothing.
    pub fn example_guess(&self, message: &Message<'_>) -> Option<(Option<&str>, f32)> {
        let guess = self.examples.guess(message.reading())?;
        Some((guess.entry, guess.probability))
    }

    /// How it decides.
    pub fn config(&self) -> &MatcherConfig {
        &self.config
    }

    /// How many question variants (titles included) are indexed.
    pub fn variant_count(&self) -> usize {
        self.variants.len()
    }

    /// Reads a message once for every decision about it: the part that is
    /// matched (see `max_input_chars`), normalised, and each clause's
    /// analysis.
    pub fn read<'t>(&self, text: &'t str) -> Message<'t> {
        Message::new(&self.analyzer, self.config.max_input_chars, text)
    }

    /// Matches a message. `lang` forces the reply language; otherwise it is
    /// Chinese for a message with any CJK character or mostly typed pinyin,
    /// and English for anything else.
    pub fn find(&self, message: &str, lang: Option<Lang>) -> Match {
        self.verdict(&self.read(message), lang)
    }

    /// [`Matcher::find`] for a message already read.
    pub fn verdict(&self, message: &Message<'_>, lang: Option<Lang>) -> Match {
        let analyses = message.analyses();
        let lang =
            lang.unwrap_or_else(|| reply_lang(message.matched(), message.normalized(), analyses));
        // The model of the example questions reads the message once. A
        // scam scenario it is all but sure of gets the warning however the
        // scam check's phrases missed it; a message those phrases flag that
        // it is all but sure one entry answers (a legitimate question about
        // WeChat's own prompts) gets that entry's answer, and one it is sure
        // no entry answers (a ban, a login) is read as any other question.
        let guess = self.examples.guess(message.reading());
        // What the model puts first, if it is at least this sure.
        let sure_of = |threshold: f32| {
            guess
                .as_ref()
                .filter(|g| g.at_least(threshold))
                .map(|g| g.entry)
        };
        // Only the best few entries can be answered or offered, so only they
        // are put in order (at scale, thousands of entries share a word).
        let (mut best, negatives): (Vec<_>, Vec<_>) = self
            .score_segments(analyses)
            .into_iter()
            .partition(|(t, _, _)| self.targets[*t].in_scope);
        // The entry the matcher's scores put first, before any bonus.
        let first = best
            .iter()
            .filter(|&&(t, _, _)| Some(t) != self.scam_target)
            .min_by(|a, b| best_first(a, b))
            .map(|&(t, _, _)| self.targets[t].id.as_str());
        let concepts = message.concepts();
        // In a message of more than one sentence only the part that asks
        // can put it in an out-of-scope topic: a story's background ("one
        // video was taken down in 2022") is not its question.
        let gate = self
            .scope
            .read(message.readings(), &concepts, message.asked().as_ref());
        let scam = self.safety.as_ref().filter(|check| {
            let warning = Some(check.entry());
            if let Some(why) = check.explain(message.readings(), || message.sentences()) {
                // A flagged message is a legitimate question about another
                // entry only when the model and the matcher's scores agree
                // on which ("the app asks for my Pay password, normal?"):
                // paying "somebody" to restore a channel is a scam however
                // much it reads like undoing a deletion.
                let answered = sure_of(self.config.example_not_scam)
                    .is_some_and(|e| e.is_some() && e != warning && e == first);
                // A trigger ("rent my channel") is a scam phrase as written
                // in the knowledge: the model may find it a question about
                // another entry, never one about something else.
                let off_topic = !matches!(why, Why::Trigger(_))
                    && sure_of(self.config.example_not_scam_off_topic).is_some_and(|e| e.is_none());
                !answered && !off_topic
            } else {
                // A scope cue's topic asks far more of the model (a
                // hundredth of its doubt: "subscription or service account,
                // which should I register" is about Official Accounts).
                let bar = if gate.topic.is_some() {
                    1.0 - (1.0 - self.config.example_scam) / 100.0
                } else {
                    self.config.example_scam
                };
                sure_of(bar) == Some(warning)
            }
        });
        // A message that is word for word one of an entry's own questions
        // is that entry's question, whatever else its words share.
        // So is one that scores as one of them before any bonus (a typo or
        // pinyin away from it), unless the message holds another entry's
        // cue: "will deleting channels delete my WeChat too" has all the
        // words of "delete my channel on WeChat", and the cue "WeChat too".
        let known = self
            .known
            .get(&question_key(message.normalized()))
            .map(|&t| t as usize)
            .or_else(|| {
                best.iter()
                    .filter(|(_, score, _)| *score >= KNOWN_QUESTION)
                    .min_by(|a, b| best_first(a, b))
                    .map(|&(t, _, _)| t)
                    .filter(|t| gate.cued.is_empty() || gate.cued.contains(t))
                    // A `sure` cue names what is deleted: only the words of
                    // an entry's own question outweigh it.
                    .filter(|_| !gate.sure)
            });
        for (target, score, _) in &mut best {
            // An entry whose own cues the message holds ("will my WeChat go
            // too") is what it asks, more than what merely shares its words
            // (scores above 1 still order entries; what is shown is capped).
            if gate.cued.contains(target) {
                *score += CUE_BONUS;
            }
            // The scam warning answers a message the scam check passed only
            // when nothing else comes close ("the app asks for my Pay
            // password, is that a scam?" is about Step 3).
            if scam.is_none() && self.scam_target == Some(*target) {
                *score *= PASSED_SCAM_FACTOR;
            }
            if known == Some(*target) {
                *score = score.max(1.0) + 1.0;
            }
        }
        let needed = self.config.max_choices.max(2) + 1;
        if best.len() > needed {
            best.select_nth_unstable_by(needed - 1, best_first);
            best.truncate(needed);
        }
        best.sort_by(best_first);
        let positives: Vec<Candidate> = best
            .iter()
            .map(|&(target, score, _)| Candidate {
                id: self.targets[target].id.clone(),
                score: round(score),
            })
            .collect();
        // A message whose cues put it in an out-of-scope topic falls back,
        // unless it is (nearly word for word) a question the knowledge
        // lists for an entry: what an admin wrote down wins over the cues.
        if scam.is_none()
            && let Some(topic) = gate.topic
            && known.is_none()
        {
            return Match {
                outcome: Outcome::Fallback,
                confidence: 1.0,
                lang,
                answer: None,
                suggestions: Vec::new(),
                safety: false,
                topic: Some(topic.to_string()),
            };
        }

        // A topic out of play (the message is about deleting, and the topic
        // is about renaming) cannot turn the message away.
        let in_play = |t: usize| {
            let topic = t - self.entry_count;
            !gate.silenced.get(topic).copied().unwrap_or(false)
        };
        let best_negative = negatives
            .iter()
            .filter(|(t, _, _)| in_play(*t))
            .min_by(|a, b| best_first(a, b))
            .map(|&(t, s, _)| (self.targets[t].id.as_str(), round(s)));

        let mut verdict = self.decide(&positives, best_negative, known.is_some());
        verdict.lang = lang;
        // A message that only names what it is about ("视频号", "名字")
        // says nothing of what it asks: offer choices, never one answer,
        // and never turn it away.
        let features = || analyses.iter().flat_map(|a| &a.features);
        // A message of domain words only ("WeCom link") names what it is
        // about: the model's certainty does not make it a question.
        let only_concepts = features().all(|f| f.kind == FeatureKind::Concept);
        let bare = only_concepts
            && !analyses.is_empty()
            && features().all(|f| self.bare.iter().any(|b| b == f.key.as_str()));
        // Where the model of the example questions is confident, it
        // settles close choices, switches or vetoes an answer, or answers
        // a turn-away (the gates below still apply).
        let endorsed = scam.is_none()
            && self.consult(
                &mut verdict,
                guess.as_ref(),
                &positives,
                best_negative,
                known.is_some() || bare,
            )
            && !only_concepts;
        // Only the entries about deleting in their own words answer a
        // message that is not about deleting the account: for the others,
        // sharing words is not enough ("视频号怎么注册" is not about the
        // account-age condition). Such an answer becomes a choice, and the
        // choices a fallback when an out-of-scope topic's examples come
        // close too.
        let best_entry = verdict.answer.as_ref().or(verdict.suggestions.first());
        if let Some(best_entry) = best_entry
            && known.is_none()
            && !endorsed
            && !bare
            && !gate.framed
            && gate.cued.is_empty()
            && !self.targets[best[0].0].self_framed
        {
            match best_negative {
                Some((topic, score))
                    if score >= self.config.clarify_threshold
                        && score >= best_entry.score - self.config.unframed_window =>
                {
                    verdict.outcome = Outcome::Fallback;
                    verdict.confidence = score.min(1.0);
                    verdict.answer = None;
                    verdict.suggestions.clear();
                    verdict.topic = Some(topic.to_string());
                }
                _ => offer_instead(&mut verdict),
            }
        }
        for candidate in verdict.answer.iter_mut().chain(&mut verdict.suggestions) {
            candidate.score = candidate.score.min(1.0);
        }
        if bare && known.is_none() {
            offer_instead(&mut verdict);
        }
        if let Some(check) = scam {
            let entry = check.entry();
            let also = verdict
                .answer
                .take()
                .into_iter()
                .chain(verdict.suggestions.drain(..));
            let also = also.filter(|c| c.id != entry).take(1).collect();
            return Match {
                outcome: Outcome::Answer,
                confidence: 1.0,
                lang,
                answer: Some(Candidate {
                    id: entry.to_string(),
                    score: 1.0,
                }),
                suggestions: also,
                safety: true,
                topic: None,
            };
        }
        verdict
    }

    /// Every topic that shares something with the message, best first, with
    /// whether it is in scope: what `faqbot ask --explain` shows.
    pub fn rank(&self, message: &Message<'_>) -> Vec<(Candidate, bool, &str)> {
        self.rank_analyses(message.analyses())
            .into_iter()
            .map(|(t, score, variant)| {
                let target = &self.targets[t];
                let candidate = Candidate {
                    id: target.id.clone(),
                    score: round(score),
                };
                (
                    candidate,
                    target.in_scope,
                    self.variant_texts[variant as usize].as_str(),
                )
            })
            .collect()
    }

    /// What the checks before matching make of a message: why it is a scam
    /// scenario, if it is, and the out-of-scope topic and cue that put it
    /// there (`faqbot ask --explain`).
    pub fn explain_checks(&self, message: &Message<'_>) -> (Option<Why>, Option<(String, String)>) {
        let scam = self
            .safety
            .as_ref()
            .and_then(|c| c.explain(message.readings(), || message.sentences()));
        let asked = message.asked();
        let topic = self
            .scope
            .explain(message.readings(), &message.concepts(), asked.as_ref())
            .map(|(t, c)| (t.to_string(), c.to_string()));
        (scam, topic)
    }

    /// The features of each clause of a message, as the matcher sees them.
    pub fn features(&self, message: &Message<'_>) -> Vec<String> {
        message
            .analyses()
            .iter()
            .flat_map(|a| &a.features)
            .map(Feature::tag)
            .collect()
    }

    /// A message's features and its `n` best in-scope entries, from one
    /// reading of it: what is kept of a question the bot did not answer.
    pub fn features_and_nearest(&self, message: &str, n: usize) -> (Vec<String>, Vec<Candidate>) {
        let message = self.read(message);
        let features = self.features(&message);
        if n == 0 {
            return (features, Vec::new());
        }
        let nearest = self
            .rank_analyses(message.analyses())
            .into_iter()
            .filter(|&(t, _, _)| self.targets[t].in_scope)
            .take(n)
            .map(|(t, score, _)| Candidate {
                id: self.targets[t].id.clone(),
                score: round(score),
            })
            .collect();
        (features, nearest)
    }

    fn rank_analyses(&self, analyses: &[Analysis]) -> Vec<(usize, f32, u32)> {
        let mut ranked = self.score_segments(analyses);
        ranked.sort_by(best_first);
        ranked
    }

    /// What the model of the example questions changes in a verdict, given
    /// what it makes of the message (`guess`): the matcher's decision
    /// stands unless the model is confident, and the model only ever picks
    /// among the entries the matcher found (`positives`), never the scam
    /// warning. Returns whether the final answer is the entry the model puts
    /// first with at least `example_endorse` probability.
    ///
    /// - An answer the model gives another found entry at `example_switch`
    ///   becomes that entry.
    /// - A fallback the matcher's scores made (a scope cue's returned
    ///   earlier) becomes the found entry the model gives `example_rescue`.
    /// - Between choices, the one the model puts first at `example_answer`
    ///   is the answer.
    /// - An answer (not an entry's own question) that the model gives
    ///   another entry or none at `example_veto` becomes a choice: the
    ///   answer, then the model's entry if the matcher found it, then the
    ///   runners-up; one it gives none at `example_turn_away` too falls
    ///   back.
    /// - Choices for a message (not an entry's own question) the model
    ///   gives no entry at `example_turn_away` fall back.
    fn consult(
        &self,
        verdict: &mut Match,
        guess: Option<&Guess<'_>>,
        positives: &[Candidate],
        best_negative: Option<(&str, f32)>,
        known: bool,
    ) -> bool {
        let Some(guess) = guess else {
            return false;
        };
        let sure = |threshold: f32| guess.at_least(threshold);
        let c = &self.config;
        let warning = self.scam_target.map(|t| self.targets[t].id.as_str());
        let found = guess
            .entry
            .filter(|&entry| Some(entry) != warning)
            .and_then(|entry| positives.iter().find(|c| c.id == entry));
        let answer_id = verdict.answer.as_ref().map(|a| a.id.clone());
        // Falls back, with the out-of-scope topic the message is nearest if
        // it is near enough to say so.
        let turn_away = |verdict: &mut Match| {
            verdict.outcome = Outcome::Fallback;
            verdict.answer = None;
            verdict.suggestions.clear();
            verdict.topic = best_negative
                .filter(|&(_, score)| score >= c.clarify_threshold)
                .map(|(topic, _)| topic.to_string());
        };
        match (verdict.outcome, found) {
            (Outcome::Answer, Some(entry))
                if !known && sure(c.example_switch) && answer_id.as_deref() != Some(&entry.id) =>
            {
                verdict.suggestions.retain(|s| s.id != entry.id);
                verdict.answer = Some(entry.clone());
            }
            (Outcome::Fallback, Some(entry)) if sure(c.example_rescue) => {
                verdict.outcome = Outcome::Answer;
                verdict.suggestions.retain(|s| s.id != entry.id);
                verdict.answer = Some(entry.clone());
                verdict.topic = None;
            }
            (Outcome::Clarify, Some(entry)) if sure(c.example_answer) => {
                if let Some(i) = verdict.suggestions.iter().position(|s| s.id == entry.id) {
                    let chosen = verdict.suggestions.remove(i);
                    verdict.outcome = Outcome::Answer;
                    verdict.answer = Some(chosen);
                }
            }
            // Choices for a message the model is sure no entry answers.
            (Outcome::Clarify, _)
                if !known && guess.entry.is_none() && sure(c.example_turn_away) =>
            {
                turn_away(verdict);
                return false;
            }
            (Outcome::Answer, _)
                if !known && sure(c.example_veto) && guess.entry != answer_id.as_deref() =>
            {
                if guess.entry.is_none() && sure(c.example_turn_away) {
                    turn_away(verdict);
                    return false;
                }
                verdict.outcome = Outcome::Clarify;
                // As a choice, the model's entry may be the scam warning.
                let other = guess
                    .entry
                    .and_then(|entry| positives.iter().find(|c| c.id == entry));
                // The answer, the model's entry, then the runners-up.
                let mut choices: Vec<Candidate> = verdict
                    .answer
                    .take()
                    .into_iter()
                    .chain(other.cloned())
                    .collect();
                for runner_up in verdict.suggestions.drain(..) {
                    if !choices.iter().any(|c| c.id == runner_up.id) {
                        choices.push(runner_up);
                    }
                }
                choices.truncate(c.max_choices.max(1));
                verdict.suggestions = choices;
            }
            _ => {}
        }
        guess.entry.is_some()
            && sure(c.example_endorse)
            && verdict.answer.as_ref().map(|a| a.id.as_str()) == guess.entry
    }

    fn decide(
        &self,
        positives: &[Candidate],
        best_negative: Option<(&str, f32)>,
        known: bool,
    ) -> Match {
        let c = &self.config;
        let p1 = positives.first().map_or(0.0, |c| c.score);
        let p2 = positives.get(1).map_or(0.0, |c| c.score);
        let verdict = |outcome, confidence: f32, answer, suggestions| Match {
            outcome,
            confidence: round(confidence.clamp(0.0, 1.0)),
            lang: Lang::En,
            answer,
            suggestions,
            safety: false,
            topic: None,
        };
        // An out-of-scope example that fits best turns the message away,
        // unless the message is one of an entry's own questions and no
        // example fits it better (a tie goes to what an admin wrote down).
        if let Some((topic, negative)) = best_negative
            && (negative > p1 || (negative == p1 && !known))
            && negative >= c.clarify_threshold
        {
            let mut fallback = verdict(Outcome::Fallback, negative, None, Vec::new());
            fallback.topic = Some(topic.to_string());
            return fallback;
        }
        // Twins close together are answered (the one named first, with the
        // other after it) when nothing else comes as close.
        let p3 = positives.get(2).map_or(0.0, |c| c.score);
        let twins = positives
            .get(..2)
            .filter(|_| p1 - p3 >= c.answer_margin)
            .and_then(|pair| {
                self.twins
                    .iter()
                    .find(|t| t.contains(&pair[0].id) && t.contains(&pair[1].id))
            });
        // Below answer level, an entry far ahead of the rest is still the
        // answer (a long story dilutes every score).
        let clear_lead = p1 >= c.lead_threshold && p1 - p2 >= c.clear_lead;
        if (p1 >= c.answer_threshold && (p1 - p2 >= c.answer_margin || twins.is_some()))
            || clear_lead
        {
            let first = match twins.filter(|_| p1 - p2 < c.answer_margin) {
                Some(pair) => usize::from(pair[0] != positives[0].id),
                None => 0,
            };
            let runners_up = positives
                .iter()
                .enumerate()
                .filter(|&(i, s)| i != first && s.score >= c.clarify_threshold)
                .map(|(_, s)| s.clone())
                .take(c.max_choices.saturating_sub(1))
                .collect();
            return verdict(
                Outcome::Answer,
                p1,
                Some(positives[first].clone()),
                runners_up,
            );
        }
        if p1 >= c.clarify_threshold {
            let floor = c.clarify_threshold.max(p1 - c.clarify_window);
            let choices = positives
                .iter()
                .filter(|s| s.score >= floor)
                .take(c.max_choices.max(1))
                .cloned()
                .collect();
            return verdict(Outcome::Clarify, p1, None, choices);
        }
        verdict(Outcome::Fallback, 1.0 - p1, None, Vec::new())
    }

    /// Scores every target for the whole message and, when it has several
    /// clauses, for each clause; a target keeps its best score (and the
    /// variant that gave it). Returns the targets that scored above 0.
    fn score_segments(&self, analyses: &[Analysis]) -> Vec<(usize, f32, u32)> {
        let clauses: Vec<Query> = analyses.iter().map(|a| self.resolve(&a.features)).collect();
        let whole = Query::union(&clauses);
        let mut segments = vec![(1.0, &whole)];
        if clauses.len() > 1 {
            // A clause counts in proportion to how much of the message's
            // known content it holds, so a generic clause ("can I delete it")
            // does not outweigh the specific rest of the message.
            let total = whole.known_norm().max(f32::EPSILON);
            let d = self.config.clause_share;
            let count = clauses.len();
            let scored = clauses.iter().zip(analyses).enumerate().filter(|(i, _)| {
                // Past MAX_CLAUSES, only the first and last clauses are matched
                // one by one (the whole message still is, as one).
                count <= MAX_CLAUSES || *i < MAX_CLAUSES / 2 || *i >= count - MAX_CLAUSES / 2
            });
            for (_, (clause, analysis)) in scored {
                let mut share = clause.known_norm() / total;
                if analysis.question {
                    // The question is what the message asks; context counts less.
                    share *= 2.0;
                }
                segments.push((1.0 - d + d * share.min(1.0), clause));
            }
        }
        // In a story of several sentences, the last question asked, with
        // the sentence before it for what its pronouns stand for, is matched
        // as one more segment.
        let window;
        let sentences = analyses.last().map_or(0, |a| a.sentence + 1);
        if sentences >= MIN_STORY_SENTENCES
            && let Some(asked) = analyses
                .iter()
                .rev()
                .find(|a| a.question)
                .map(|a| a.sentence)
        {
            let from = asked.saturating_sub(1);
            // Clauses are in order, so the two sentences' are a run.
            let start = analyses
                .iter()
                .position(|a| a.sentence >= from)
                .unwrap_or(0);
            let end = analyses
                .iter()
                .rposition(|a| a.sentence <= asked)
                .map_or(0, |i| i + 1);
            window = Query::union(&clauses[start..end.max(start)]);
            segments.push((STORY_QUESTION_FACTOR, &window));
        }
        // A message that names none of the domain's concepts needs stronger
        // evidence before it is answered.
        let anchored = analyses
            .iter()
            .flat_map(|a| &a.features)
            .any(|f| f.kind == FeatureKind::Concept);
        let in_scope_factor = if anchored {
            1.0
        } else {
            self.config.no_concept_factor
        };
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.fit(self.variants.len(), self.targets.len());
            for (factor, query) in segments {
                self.score(query, scratch, |target, score, variant, kept| {
                    let factor = if self.targets[target as usize].in_scope {
                        factor * in_scope_factor
                    } else {
                        factor
                    };
                    kept.keep(target, score * factor, variant);
                });
            }
            scratch.take_kept()
        })
    }

    /// Looks up features in the index; unknown ones count only towards the
    /// query's norm.
    fn resolve(&self, features: &[Feature]) -> Query {
        let mut query = Query::default();
        for feature in features {
            match self.feature_ids.get(&feature_key(feature)) {
                Some(&id) => query.known.push((id, self.weights[id as usize])),
                None => {
                    // An unknown pair of characters or words is mostly an
                    // accident of adjacency; an unknown character or word is
                    // content the knowledge base does not cover.
                    let pair = matches!(feature.kind, FeatureKind::Bigram | FeatureKind::StemPair);
                    let scale = if pair { UNKNOWN_PAIR_SHARE } else { 1.0 };
                    let w = feature.kind.factor()
                        * self.unknown_idf
                        * self.config.unknown_weight
                        * scale;
                    query.unknown.push((feature.clone(), w * w));
                }
            }
        }
        query
    }

    /// Scores the targets sharing at least one known feature with `query`,
    /// calling `found(target, score, best variant, kept)` for each.
    fn score(
        &self,
        query: &Query,
        scratch: &mut Scratch,
        mut found: impl FnMut(u32, f32, u32, &mut Kept),
    ) {
        let query_norm = query.known_norm() + query.unknown.iter().map(|(_, w2)| w2).sum::<f32>();
        if query.known.is_empty() || query_norm <= 0.0 {
            return;
        }
        let inverse_query_norm = query_norm.recip();
        for &(id, w) in &query.known {
            for &variant in self.postings.get(id as usize) {
                scratch.add_dot(variant, w * w);
            }
            for &target in self.target_postings.get(id as usize) {
                scratch.add_coverage(target, w * w);
            }
        }
        let alpha = self.config.query_weight;
        let geometric = alpha == 0.5;
        let beta = self.config.entry_weight;
        // Each dot product is read once, and zeroed as it is read.
        let Scratch {
            dots,
            touched_variants,
            best,
            ..
        } = &mut *scratch;
        for variant in touched_variants.drain(..) {
            let dot = std::mem::take(&mut dots[variant as usize]);
            let (target, inverse_norm) = self.variants[variant as usize];
            let explained = (dot * inverse_query_norm).min(1.0);
            let covered = (dot * inverse_norm).min(1.0);
            // The geometric mean needs no `powf` (the default weight, and
            // the hot loop at scale: it runs for every variant touched), and
            // its square root waits for the best variant of each target.
            let key = if geometric {
                explained * covered
            } else {
                explained.powf(alpha) * covered.powf(1.0 - alpha)
            };
            let slot = &mut best[target as usize];
            if key > slot.0 || slot.0 == 0.0 {
                *slot = (key, variant);
            }
        }
        for &target in &scratch.touched_targets {
            let (key, variant) = scratch.best[target as usize];
            let variant_score = if geometric { key.sqrt() } else { key };
            let covered = (scratch.coverage[target as usize] / query_norm).min(1.0);
            let score = ((1.0 - beta) * variant_score + beta * covered).clamp(0.0, 1.0);
            found(target, score, variant, &mut scratch.kept);
        }
        scratch.reset();
    }
}

/// Turns an outright answer into the first of the choices offered.
fn offer_instead(verdict: &mut Match) {
    if let Some(answer) = verdict.answer.take() {
        verdict.outcome = Outcome::Clarify;
        verdict.suggestions.insert(0, answer);
    }
}

/// The language to reply to a message in: Chinese for Chinese text and for
/// typed pinyin; English for English. A message mixing the two is in the
/// language whose function words it uses ("my 视频号 is under company
/// wecom", "how to 撤销注销" are English; "undo 之后 fans 还在吗" is
/// Chinese); with as many of each, English when it has twice as many English
/// words as Chinese characters (counted in the normalised text, so an
/// invisible character cannot split a run of Chinese).
fn reply_lang(text: &str, normalized: &str, analyses: &[Analysis]) -> Lang {
    let pinyin: usize = analyses.iter().map(|a| a.pinyin_words).sum();
    let english: usize = analyses.iter().map(|a| a.other_words).sum();
    match normalize::detect_lang(text) {
        Lang::En if pinyin > 0 && pinyin >= english => Lang::Zh,
        Lang::Zh if english > 0 => {
            let (zh, en) = analyses
                .iter()
                .fold((0, 0), |(zh, en), a| (zh + a.grammar.zh, en + a.grammar.en));
            match en.cmp(&zh) {
                std::cmp::Ordering::Greater => Lang::En,
                std::cmp::Ordering::Less => Lang::Zh,
                std::cmp::Ordering::Equal if english >= 2 && english_leads(normalized, english) => {
                    Lang::En
                }
                std::cmp::Ordering::Equal => Lang::Zh,
            }
        }
        detected => detected,
    }
}

/// Whether a message mixing English words and Chinese is English: twice as
/// many English words as Chinese characters, or three or more and at least
/// as many as runs of Chinese (English with Chinese nouns: "注销 之后 昵称 can
/// use again?"; "how to 撤销注销" stays Chinese).
fn english_leads(text: &str, english: usize) -> bool {
    let (mut han, mut runs, mut in_run) = (0, 0, false);
    for c in text.chars() {
        let is_han = normalize::is_han(c);
        if is_han {
            han += 1;
            if !in_run {
                runs += 1;
            }
        }
        in_run = is_han;
    }
    english * 2 > han || (english >= 3 && english >= runs)
}

/// The key a feature is indexed by: its 64-bit hash. Keeping no string per
/// feature halves the index of a large knowledge base; two features sharing a
/// hash would at worst blur one score.
fn feature_key(feature: &Feature) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(feature)
}

/// One list of numbers per feature, stored back to back (a list per feature
/// as its own `Vec` costs more in headers than in contents at scale).
#[derive(Debug, Default)]
struct Lists {
    /// Where each list starts in `items`, and where the last one ends.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    /// Empty lists of the given lengths.
    fn with_lengths(lengths: &[u32]) -> Lists {
        let mut starts = Vec::with_capacity(lengths.len() + 1);
        let mut total = 0u32;
        starts.push(0);
        for &len in lengths {
            total += len;
            starts.push(total);
        }
        Lists {
            starts,
            items: vec![0; total as usize],
        }
    }

    fn get(&self, list: usize) -> &[u32] {
        &self.items[self.starts[list] as usize..self.starts[list + 1] as usize]
    }

    /// Per feature, the variants that have it and the targets that have it
    /// (each once; a target's variants are numbered consecutively).
    fn postings(features: usize, variant_features: &[(u32, Vec<u32>)]) -> (Lists, Lists) {
        let mut variant_lengths = vec![0u32; features];
        let mut target_lengths = vec![0u32; features];
        let mut last_target = vec![u32::MAX; features];
        for (target, ids) in variant_features {
            for &f in ids {
                variant_lengths[f as usize] += 1;
                if last_target[f as usize] != *target {
                    last_target[f as usize] = *target;
                    target_lengths[f as usize] += 1;
                }
            }
        }
        let mut variants = Lists::with_lengths(&variant_lengths);
        let mut targets = Lists::with_lengths(&target_lengths);
        let mut next_variant = variants.starts[..features].to_vec();
        let mut next_target = targets.starts[..features].to_vec();
        last_target.fill(u32::MAX);
        for (variant, (target, ids)) in variant_features.iter().enumerate() {
            for &f in ids {
                let f = f as usize;
                variants.items[next_variant[f] as usize] = variant as u32;
                next_variant[f] += 1;
                if last_target[f] != *target {
                    last_target[f] = *target;
                    targets.items[next_target[f] as usize] = *target;
                    next_target[f] += 1;
                }
            }
        }
        (variants, targets)
    }
}

/// A message (or clause) resolved against the index: its distinct known
/// features with their weights, and its unknown features with their squared
/// weights.
#[derive(Debug, Default)]
struct Query {
    known: Vec<(u32, f32)>,
    unknown: Vec<(Feature, f32)>,
}

impl Query {
    /// The features of all clauses, each once.
    fn union(clauses: &[Query]) -> Query {
        let mut whole = Query::default();
        for clause in clauses {
            whole.known.extend(&clause.known);
            whole.unknown.extend(clause.unknown.iter().cloned());
        }
        whole.known.sort_by_key(|&(id, _)| id);
        whole.known.dedup_by_key(|&mut (id, _)| id);
        whole.unknown.sort_by(|a, b| a.0.cmp(&b.0));
        whole.unknown.dedup_by(|a, b| a.0 == b.0);
        whole
    }

    /// The summed squared weight of the known features.
    fn known_norm(&self) -> f32 {
        self.known.iter().map(|(_, w)| w * w).sum()
    }
}

thread_local! {
    /// Each thread's accumulators, reused from message to message: at 10,000
    /// entries they are over a megabyte, too much to allocate and zero for
    /// every message.
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Accumulators for one message: dense arrays indexed by variant and target,
/// with the touched indexes to reset; all zero between uses.
#[derive(Default)]
struct Scratch {
    dots: Vec<f32>,
    touched_variants: Vec<u32>,
    coverage: Vec<f32>,
    best: Vec<(f32, u32)>,
    touched_targets: Vec<u32>,
    /// Each target's best score over the segments of the message.
    kept: Kept,
}

/// Each target's best score and variant, and the targets that have one.
#[derive(Default)]
struct Kept {
    best: Vec<(f32, u32)>,
    touched: Vec<u32>,
}

impl Kept {
    fn keep(&mut self, target: u32, score: f32, variant: u32) {
        let slot = &mut self.best[target as usize];
        if score > slot.0 {
            if slot.0 == 0.0 {
                self.touched.push(target);
            }
            *slot = (score, variant);
        }
    }
}

impl Scratch {
    /// Makes room for a matcher's variants and targets, and clears anything
    /// a panic may have left behind.
    fn fit(&mut self, variants: usize, targets: usize) {
        self.reset();
        self.take_kept();
        if self.dots.len() < variants {
            self.dots.resize(variants, 0.0);
        }
        if self.coverage.len() < targets {
            self.coverage.resize(targets, 0.0);
            self.best.resize(targets, (0.0, 0));
            self.kept.best.resize(targets, (0.0, 0));
        }
    }

    /// The targets kept so far, as (target, score, variant); clears them.
    fn take_kept(&mut self) -> Vec<(usize, f32, u32)> {
        let kept = &mut self.kept;
        let out = kept
            .touched
            .iter()
            .map(|&t| {
                let (score, variant) = std::mem::take(&mut kept.best[t as usize]);
                (t as usize, score, variant)
            })
            .collect();
        kept.touched.clear();
        out
    }

    fn add_dot(&mut self, variant: u32, value: f32) {
        let slot = &mut self.dots[variant as usize];
        if *slot == 0.0 {
            self.touched_variants.push(variant);
        }
        *slot += value;
    }

    fn add_coverage(&mut self, target: u32, value: f32) {
        let slot = &mut self.coverage[target as usize];
        if *slot == 0.0 {
            self.touched_targets.push(target);
        }
        *slot += value;
    }

    fn reset(&mut self) {
        for &v in &self.touched_variants {
            self.dots[v as usize] = 0.0;
        }
        for &t in &self.touched_targets {
            self.coverage[t as usize] = 0.0;
            self.best[t as usize] = (0.0, 0);
        }
        self.touched_variants.clear();
        self.touched_targets.clear();
    }
}

/// What an entry's own cue adds to its score.
const CUE_BONUS: f32 = 0.25;

/// The score, before any bonus, from which a message counts as one of an
/// entry's own questions (a word-for-word variant after normalisation, or
/// one read from pinyin or with a typo corrected).
const KNOWN_QUESTION: f32 = 0.99;

/// What the scam warning's score is multiplied by when the scam check found
/// no scam in the message.
const PASSED_SCAM_FACTOR: f32 = 0.8;

/// A normalised text's hash, its spaces and punctuation left out:
/// "注销要多久？" and "注销 要多久" are one question. (Two questions sharing
/// a 64-bit hash would at worst make one message count as the other.)
fn question_key(normalized: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    for c in normalized.chars() {
        let skipped = c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(
                c,
                '。' | '、' | '…' | '—' | '～' | '·' | '「' | '」' | '《' | '》'
            );
        if !skipped {
            hasher.write_u32(c as u32);
        }
    }
    hasher.finish()
}

/// A message of at least this many sentences is a story: its last question
/// is also matched with the sentence before it.
const MIN_STORY_SENTENCES: u32 = 3;
/// What the score of a story's last question counts.
const STORY_QUESTION_FACTOR: f32 = 0.9;

/// How many clauses of a long message are matched one by one.
const MAX_CLAUSES: usize = 24;

/// The least rarity (idf) a synonym concept counts with; about that of a
/// feature present in three topics of five.
const MIN_CONCEPT_IDF: f32 = 1.0;

/// How much an unknown character pair or word pair counts, relative to an
/// unknown character or word.
const UNKNOWN_PAIR_SHARE: f32 = 0.3;

/// The order of scored targets: best score first, then the target listed first.
fn best_first(a: &(usize, f32, u32), b: &(usize, f32, u32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Rounds a score to three decimals, so that printed and compared scores agree.
fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}
