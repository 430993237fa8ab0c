//! Settings: the built-in `config/default.toml`, then `--config FILE`, then
//! `FAQBOT__SECTION__KEY` environment variables, read with the `config` crate
//! into a raw struct and then validated, each error naming its key.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::knowledge::Limits;
use crate::matcher::MatcherConfig;

/// The built-in defaults: `config/default.toml`, compiled in so that the
/// binary works from any directory.
pub const DEFAULTS: &str = include_str!("../config/default.toml");

/// The prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "FAQBOT";

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The knowledge folder.
    pub knowledge_dir: PathBuf,
    pub limits: Limits,
    pub matcher: MatcherConfig,
    /// The log filter.
    pub log_level: String,
}

/// The settings as read, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    knowledge: RawKnowledge,
    matcher: MatcherConfig,
    log: RawLog,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKnowledge {
    dir: PathBuf,
    max_answer_chars_zh: usize,
    max_answer_words_en: usize,
    min_questions_zh: usize,
    min_questions_en: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    level: String,
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file given with `--config` does not exist.
    #[error("config file {} does not exist", .0.display())]
    Missing(PathBuf),
    /// A source could not be read or parsed, or a value has the wrong type.
    #[error("invalid settings: {0}")]
    Read(#[from] config::ConfigError),
    /// A value is out of its range.
    #[error("invalid setting {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Settings {
    /// Loads the defaults, then `file` if given, then the `FAQBOT__*`
    /// variables of `env` (the caller passes the environment in, so tests
    /// can pass their own).
    pub fn load(
        file: Option<&Path>,
        env: HashMap<String, String>,
    ) -> Result<Settings, SettingsError> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(file) = file {
            if !file.is_file() {
                return Err(SettingsError::Missing(file.to_path_buf()));
            }
            builder = builder.add_source(config::File::from(file).format(config::FileFormat::Toml));
        }
        let env: config::Map<String, String> = env
            .into_iter()
            .filter(|(key, _)| key.starts_with(&format!("{ENV_PREFIX}__")))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix(ENV_PREFIX)
                .separator("__")
                .try_parsing(true)
                .source(Some(env)),
        );
        let raw: Raw = builder.build()?.try_deserialize()?;
        Settings::validate(raw)
    }

    fn validate(raw: Raw) -> Result<Settings, SettingsError> {
        let m = &raw.matcher;
        let unit = |key: &'static str, value: f32| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(SettingsError::Invalid {
                    key,
                    message: format!("must be between 0 and 1, not {value}"),
                })
            }
        };
        unit("matcher.answer_threshold", m.answer_threshold)?;
        unit("matcher.answer_margin", m.answer_margin)?;
        unit("matcher.clarify_threshold", m.clarify_threshold)?;
        unit("matcher.clarify_window", m.clarify_window)?;
        unit("matcher.query_weight", m.query_weight)?;
        unit("matcher.entry_weight", m.entry_weight)?;
        unit("matcher.unknown_weight", m.unknown_weight)?;
        unit("matcher.clause_share", m.clause_share)?;
        unit("matcher.no_concept_factor", m.no_concept_factor)?;
        if m.clarify_threshold > m.answer_threshold {
            return Err(SettingsError::Invalid {
                key: "matcher.clarify_threshold",
                message: format!(
                    "must not be above matcher.answer_threshold ({} > {})",
                    m.clarify_threshold, m.answer_threshold
                ),
            });
        }
        if !(1..=10).contains(&m.max_choices) {
            return Err(SettingsError::Invalid {
                key: "matcher.max_choices",
                message: format!("must be from 1 to 10, not {}", m.max_choices),
            });
        }
        if m.max_input_chars < 100 {
            return Err(SettingsError::Invalid {
                key: "matcher.max_input_chars",
                message: format!("must be at least 100, not {}", m.max_input_chars),
            });
        }
        if raw.knowledge.dir.as_os_str().is_empty() {
            return Err(SettingsError::Invalid {
                key: "knowledge.dir",
                message: "must not be empty".into(),
            });
        }
        let k = raw.knowledge;
        let limits = Limits {
            max_answer_chars_zh: k.max_answer_chars_zh,
            max_answer_words_en: k.max_answer_words_en,
            min_questions_zh: k.min_questions_zh,
            min_questions_en: k.min_questions_en,
        };
        if limits.max_answer_chars_zh == 0 || limits.max_answer_words_en == 0 {
            return Err(SettingsError::Invalid {
                key: "knowledge.max_answer_chars_zh",
                message: "answer limits must be above 0".into(),
            });
        }
        Ok(Settings {
            knowledge_dir: k.dir,
            limits,
            matcher: raw.matcher,
            log_level: raw.log.level,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_match_the_code_defaults() {
        let settings = Settings::load(None, HashMap::new()).unwrap();
        assert_eq!(settings.knowledge_dir, PathBuf::from("knowledge"));
        assert_eq!(settings.matcher, MatcherConfig::default());
        assert_eq!(settings.limits, Limits::default());
    }

    #[test]
    fn environment_overrides_defaults() {
        let settings = Settings::load(
            None,
            env(&[
                ("FAQBOT__MATCHER__ANSWER_THRESHOLD", "0.7"),
                ("FAQBOT__KNOWLEDGE__DIR", "/srv/kb"),
                ("OTHER__MATCHER__ANSWER_THRESHOLD", "0.1"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.matcher.answer_threshold, 0.7);
        assert_eq!(settings.knowledge_dir, PathBuf::from("/srv/kb"));
    }

    #[test]
    fn a_file_overrides_defaults_and_env_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("faqbot.toml");
        std::fs::write(&path, "[matcher]\nanswer_margin = 0.2\nmax_choices = 2\n").unwrap();
        let settings =
            Settings::load(Some(&path), env(&[("FAQBOT__MATCHER__MAX_CHOICES", "4")])).unwrap();
        assert_eq!(settings.matcher.answer_margin, 0.2);
        assert_eq!(settings.matcher.max_choices, 4);
    }

    #[test]
    fn errors_name_the_key() {
        let err = Settings::load(None, env(&[("FAQBOT__MATCHER__ANSWER_THRESHOLD", "1.5")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("matcher.answer_threshold"), "{err}");
        let err = Settings::load(None, env(&[("FAQBOT__MATCHER__CLARIFY_THRESHOLD", "0.9")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("matcher.clarify_threshold"), "{err}");
        let err = Settings::load(Some(Path::new("/nonexistent/faqbot.toml")), HashMap::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/faqbot.toml"), "{err}");
    }

    #[test]
    fn unknown_keys_and_bad_types_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("faqbot.toml");
        std::fs::write(&path, "[matcher]\nanswer_treshold = 0.2\n").unwrap();
        let err = Settings::load(Some(&path), HashMap::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("answer_treshold"), "{err}");
        std::fs::write(&path, "[matcher]\nmax_choices = \"many\"\n").unwrap();
        assert!(Settings::load(Some(&path), HashMap::new()).is_err());
        std::fs::write(&path, "[matcher\n").unwrap();
        assert!(Settings::load(Some(&path), HashMap::new()).is_err());
    }
}
