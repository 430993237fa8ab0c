//! Settings: the built-in `config/default.toml`, then `--config FILE`, then
//! `FAQBOT__SECTION__KEY` environment variables, read with the `config` crate
//! into a raw struct and then validated, each error naming its key.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::examples::cache::ModelCache;
use crate::knowledge::Limits;
use crate::matcher::MatcherConfig;

/// The built-in defaults: `config/default.toml`, compiled in so that the
/// binary works from any directory.
pub const DEFAULTS: &str = include_str!("../config/default.toml");

/// The prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "FAQBOT";

/// teloxide's conventional variable for the bot token; wins over `bot.token`.
pub const TOKEN_ENV: &str = "TELOXIDE_TOKEN";

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The knowledge folder.
    pub knowledge_dir: PathBuf,
    pub limits: Limits,
    pub matcher: MatcherConfig,
    /// Reload when the knowledge folder changes, once it has been quiet this
    /// long; `None` when `knowledge.watch` is off.
    pub watch: Option<Duration>,
    pub bot: BotSettings,
    pub store: StoreSettings,
    /// Telegram user ids allowed to use admin commands.
    pub admins: Vec<u64>,
    /// The log filter of `faqbot serve`.
    pub log_level: String,
}

/// The `[bot]` settings: how `faqbot serve` reaches Telegram.
#[derive(Debug, Clone, PartialEq)]
pub struct BotSettings {
    /// From `TELOXIDE_TOKEN` or `bot.token`; `None` when neither is set.
    pub token: Option<Secret>,
    pub api_url: url::Url,
    /// Webhook mode when set; long polling otherwise.
    pub webhook: Option<Webhook>,
    /// Messages a user may send a minute before being ignored; 0 is no limit.
    pub flood_messages_per_minute: u32,
    pub inline_cache: Duration,
    pub limits: SendLimits,
    /// "Today" for the cooling-off calculator and reminders.
    pub timezone: jiff::tz::TimeZone,
    /// A cooling-off reminder is sent this many days before the period ends.
    pub reminder_days_before: u16,
    /// A checklist (or a question the bot asked) left unanswered this long
    /// is forgotten.
    pub conversation_timeout: Duration,
}

/// The `[store]` settings: where `faqbot serve` keeps what it learns.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreSettings {
    /// The SQLite file; created on first start.
    pub path: PathBuf,
    /// Questions, votes and reports older than this are deleted.
    pub retention: Duration,
}

/// Webhook mode: the public URL Telegram posts to and the local address
/// that serves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub url: url::Url,
    pub listen: SocketAddr,
    /// `None`: a random token is made at start.
    pub secret_token: Option<Secret>,
    /// Requests with a larger body are refused (413).
    pub max_body_bytes: usize,
    /// A client that takes longer to send a request's headers or body is
    /// cut off (408).
    pub read_timeout: Duration,
}

/// Telegram's sending limits, kept to by queueing replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendLimits {
    /// Queue replies within the limits; false sends at once.
    pub enabled: bool,
    pub messages_per_sec_chat: u32,
    pub messages_per_min_chat: u32,
    pub messages_per_min_group: u32,
    pub messages_per_sec_overall: u32,
}

/// A value that must never be printed: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The settings as read, before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    knowledge: RawKnowledge,
    matcher: MatcherConfig,
    bot: RawBot,
    store: RawStore,
    admin: RawAdmin,
    log: RawLog,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBot {
    token: String,
    api_url: String,
    flood_messages_per_minute: u32,
    inline_cache_seconds: u32,
    timezone: String,
    reminder_days_before: u16,
    conversation_timeout_minutes: u32,
    webhook: RawWebhook,
    limits: SendLimits,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebhook {
    url: String,
    listen: String,
    secret_token: String,
    max_body_bytes: usize,
    read_timeout_ms: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    path: PathBuf,
    retention_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdmin {
    #[serde(deserialize_with = "user_id_list")]
    user_ids: Vec<u64>,
}

/// Reads `admin.user_ids` as a TOML array of numbers, or, as an environment
/// variable gives it, one number or a comma-separated list ("1", "1,2",
/// "1, 2", or empty for none).
fn user_id_list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Ids {
        One(Id),
        Many(Vec<Id>),
    }
    let parse = |text: &str| -> Result<Vec<u64>, D::Error> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<u64>().map_err(|_| {
                    serde::de::Error::custom(format!(
                        "admin.user_ids: '{part}' is not a Telegram user id (a whole number)"
                    ))
                })
            })
            .collect()
    };
    let ids = match Ids::deserialize(deserializer)? {
        Ids::One(id) => vec![id],
        Ids::Many(ids) => ids,
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match id {
            Id::Number(n) => out.push(n),
            Id::Text(text) => out.extend(parse(&text)?),
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKnowledge {
    dir: PathBuf,
    max_answer_chars_zh: usize,
    max_answer_words_en: usize,
    min_questions_zh: usize,
    min_questions_en: usize,
    watch: bool,
    watch_debounce_ms: u64,
    cache: bool,
    cache_dir: PathBuf,
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
    // Not a `#[source]`: the message already carries it, and a chain printed
    // with `{:#}` would say it twice.
    #[error("invalid settings: {0}")]
    Read(config::ConfigError),
    /// A value is out of its range.
    #[error("invalid setting {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl From<config::ConfigError> for SettingsError {
    fn from(err: config::ConfigError) -> Self {
        SettingsError::Read(err)
    }
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
        let env_token = env.get(TOKEN_ENV).filter(|t| !t.trim().is_empty()).cloned();
        let user_cache = user_cache_dir(&env);
        let env: config::Map<String, String> = env
            .into_iter()
            .filter(|(key, _)| key.starts_with(&format!("{ENV_PREFIX}__")))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix(ENV_PREFIX)
                .separator("__")
                .try_parsing(true)
                .source(Some(env.clone())),
        );
        let mut raw: Raw = builder.build()?.try_deserialize()?;
        if let Some(token) = env_token {
            raw.bot.token = token;
        }
        Settings::validate(raw, user_cache)
    }

    /// `user_cache`: the user's cache folder for faqbot, the default of
    /// `knowledge.cache_dir`.
    fn validate(raw: Raw, user_cache: Option<PathBuf>) -> Result<Settings, SettingsError> {
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
        unit("matcher.lead_threshold", m.lead_threshold)?;
        unit("matcher.clear_lead", m.clear_lead)?;
        unit("matcher.clarify_threshold", m.clarify_threshold)?;
        unit("matcher.clarify_window", m.clarify_window)?;
        unit("matcher.unframed_window", m.unframed_window)?;
        unit("matcher.query_weight", m.query_weight)?;
        unit("matcher.entry_weight", m.entry_weight)?;
        unit("matcher.unknown_weight", m.unknown_weight)?;
        unit("matcher.clause_share", m.clause_share)?;
        unit("matcher.no_concept_factor", m.no_concept_factor)?;
        unit("matcher.example_answer", m.example_answer)?;
        unit("matcher.example_veto", m.example_veto)?;
        unit("matcher.example_switch", m.example_switch)?;
        unit("matcher.example_rescue", m.example_rescue)?;
        unit("matcher.example_endorse", m.example_endorse)?;
        unit("matcher.example_scam", m.example_scam)?;
        unit("matcher.example_not_scam", m.example_not_scam)?;
        unit(
            "matcher.example_not_scam_off_topic",
            m.example_not_scam_off_topic,
        )?;
        unit("matcher.example_turn_away", m.example_turn_away)?;
        for (key, value) in [
            ("matcher.clarify_threshold", m.clarify_threshold),
            ("matcher.lead_threshold", m.lead_threshold),
        ] {
            if value > m.answer_threshold {
                return Err(SettingsError::Invalid {
                    key,
                    message: format!(
                        "must not be above matcher.answer_threshold ({value} > {})",
                        m.answer_threshold
                    ),
                });
            }
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
        if k.watch_debounce_ms == 0 || k.watch_debounce_ms > 60_000 {
            return Err(SettingsError::Invalid {
                key: "knowledge.watch_debounce_ms",
                message: format!("must be from 1 to 60000, not {}", k.watch_debounce_ms),
            });
        }
        if raw.store.path.as_os_str().is_empty() {
            return Err(SettingsError::Invalid {
                key: "store.path",
                message: "must not be empty".into(),
            });
        }
        if !(1..=3650).contains(&raw.store.retention_days) {
            return Err(SettingsError::Invalid {
                key: "store.retention_days",
                message: format!("must be from 1 to 3650, not {}", raw.store.retention_days),
            });
        }
        let mut matcher = raw.matcher;
        matcher.model_cache = if !k.cache {
            None
        } else if k.cache_dir.as_os_str().is_empty() {
            user_cache.map(ModelCache::new)
        } else {
            Some(ModelCache::new(k.cache_dir))
        };
        Ok(Settings {
            knowledge_dir: k.dir,
            limits,
            matcher,
            watch: k.watch.then(|| Duration::from_millis(k.watch_debounce_ms)),
            bot: validate_bot(raw.bot)?,
            store: StoreSettings {
                path: raw.store.path,
                retention: Duration::from_secs(u64::from(raw.store.retention_days) * 86_400),
            },
            admins: raw.admin.user_ids,
            log_level: raw.log.level,
        })
    }
}

/// faqbot's folder in the user's cache folder: `$XDG_CACHE_HOME/faqbot`,
/// or `$HOME/.cache/faqbot` (the XDG base directory rules); `None` when the
/// environment names neither as an absolute path.
fn user_cache_dir(env: &HashMap<String, String>) -> Option<PathBuf> {
    let absolute = |name: &str| {
        env.get(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    absolute("XDG_CACHE_HOME")
        .or_else(|| Some(absolute("HOME")?.join(".cache")))
        .map(|dir| dir.join("faqbot"))
}

fn validate_bot(raw: RawBot) -> Result<BotSettings, SettingsError> {
    let invalid = |key, message: String| SettingsError::Invalid { key, message };
    let token = raw.token.trim();
    // The token's own text never goes into an error message.
    if token.chars().any(|c| c.is_whitespace() || c == '/') {
        return Err(invalid(
            "bot.token",
            "must not contain spaces or '/' (is it the whole token from @BotFather?)".into(),
        ));
    }
    let api_url = parse_url("bot.api_url", &raw.api_url)?;
    let webhook = if raw.webhook.url.trim().is_empty() {
        None
    } else {
        let url = parse_url("bot.webhook.url", raw.webhook.url.trim())?;
        let listen = raw.webhook.listen.trim().parse().map_err(|_| {
            invalid(
                "bot.webhook.listen",
                format!(
                    "'{}' is not an address with a port, such as 127.0.0.1:8443",
                    raw.webhook.listen
                ),
            )
        })?;
        let secret = raw.webhook.secret_token.trim();
        let valid_secret = (1..=256).contains(&secret.len())
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !secret.is_empty() && !valid_secret {
            return Err(invalid(
                "bot.webhook.secret_token",
                "must be 1-256 characters of A-Z, a-z, 0-9, _ and -".into(),
            ));
        }
        if raw.webhook.max_body_bytes < 1024 {
            return Err(invalid(
                "bot.webhook.max_body_bytes",
                format!("must be at least 1024, not {}", raw.webhook.max_body_bytes),
            ));
        }
        if raw.webhook.read_timeout_ms == 0 {
            return Err(invalid(
                "bot.webhook.read_timeout_ms",
                "must be at least 1".into(),
            ));
        }
        Some(Webhook {
            url,
            listen,
            secret_token: (!secret.is_empty()).then(|| Secret(secret.to_string())),
            max_body_bytes: raw.webhook.max_body_bytes,
            read_timeout: Duration::from_millis(raw.webhook.read_timeout_ms),
        })
    };
    let l = raw.limits;
    if [
        l.messages_per_sec_chat,
        l.messages_per_min_chat,
        l.messages_per_min_group,
        l.messages_per_sec_overall,
    ]
    .contains(&0)
    {
        return Err(invalid(
            "bot.limits",
            "every limit must be at least 1".into(),
        ));
    }
    let timezone = jiff::tz::TimeZone::get(raw.timezone.trim()).map_err(|_| {
        invalid(
            "bot.timezone",
            format!(
                "'{}' is not a time zone name such as Asia/Shanghai or UTC",
                raw.timezone
            ),
        )
    })?;
    if !(1..=30).contains(&raw.reminder_days_before) {
        return Err(invalid(
            "bot.reminder_days_before",
            format!("must be from 1 to 30, not {}", raw.reminder_days_before),
        ));
    }
    if raw.conversation_timeout_minutes == 0 {
        return Err(invalid(
            "bot.conversation_timeout_minutes",
            "must be at least 1".into(),
        ));
    }
    Ok(BotSettings {
        token: (!token.is_empty()).then(|| Secret(token.to_string())),
        api_url,
        webhook,
        flood_messages_per_minute: raw.flood_messages_per_minute,
        inline_cache: Duration::from_secs(raw.inline_cache_seconds.into()),
        limits: raw.limits,
        timezone,
        reminder_days_before: raw.reminder_days_before,
        conversation_timeout: Duration::from_secs(u64::from(raw.conversation_timeout_minutes) * 60),
    })
}

fn parse_url(key: &'static str, text: &str) -> Result<url::Url, SettingsError> {
    let url = url::Url::parse(text.trim()).map_err(|err| SettingsError::Invalid {
        key,
        message: format!("'{text}' is not a URL: {err}"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(SettingsError::Invalid {
            key,
            message: format!("'{text}' must start with http:// or https://"),
        });
    }
    Ok(url)
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
        assert_eq!(settings.bot.api_url.as_str(), "https://api.telegram.org/");
        assert_eq!(settings.bot.token, None);
        assert_eq!(settings.bot.webhook, None);
        assert_eq!(settings.watch, None);
        assert!(settings.admins.is_empty());
        assert_eq!(settings.bot.timezone.iana_name(), Some("Asia/Shanghai"));
        assert_eq!(settings.bot.reminder_days_before, 3);
        assert_eq!(
            settings.bot.conversation_timeout,
            Duration::from_secs(30 * 60)
        );
    }

    #[test]
    fn the_token_comes_from_teloxide_token_first_and_is_never_shown() {
        let settings = Settings::load(
            None,
            env(&[
                ("FAQBOT__BOT__TOKEN", "111:from-config"),
                ("TELOXIDE_TOKEN", "222:from-env"),
            ]),
        )
        .unwrap();
        let token = settings.bot.token.as_ref().unwrap();
        assert_eq!(token.expose(), "222:from-env");
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("222:from-env") && !shown.contains("111"),
            "{shown}"
        );
        let err = Settings::load(None, env(&[("TELOXIDE_TOKEN", "12 3:secret word")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bot.token") && !err.contains("secret"),
            "{err}"
        );
    }

    #[test]
    fn bot_settings_are_validated() {
        let settings = Settings::load(
            None,
            env(&[
                ("FAQBOT__ADMIN__USER_IDS", "42,43"),
                ("FAQBOT__BOT__WEBHOOK__URL", "https://bot.example.org/tg"),
                ("FAQBOT__BOT__WEBHOOK__SECRET_TOKEN", "s3cret_-x"),
                ("FAQBOT__KNOWLEDGE__WATCH", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.admins, [42, 43]);
        let webhook = settings.bot.webhook.unwrap();
        assert_eq!(webhook.url.path(), "/tg");
        assert_eq!(webhook.secret_token.unwrap().expose(), "s3cret_-x");
        assert_eq!(settings.watch, Some(Duration::from_millis(500)));
        for (key, value, named) in [
            ("FAQBOT__BOT__API_URL", "not a url", "bot.api_url"),
            ("FAQBOT__BOT__API_URL", "ftp://x.org", "bot.api_url"),
            ("FAQBOT__BOT__WEBHOOK__URL", "https://x.org", ""),
            (
                "FAQBOT__BOT__LIMITS__MESSAGES_PER_SEC_CHAT",
                "0",
                "bot.limits",
            ),
        ] {
            let mut vars = env(&[(key, value)]);
            if named.is_empty() {
                vars.insert(
                    "FAQBOT__BOT__WEBHOOK__SECRET_TOKEN".into(),
                    "bad token!".into(),
                );
            }
            let err = Settings::load(None, vars).unwrap_err().to_string();
            let named = if named.is_empty() {
                "bot.webhook.secret_token"
            } else {
                named
            };
            assert!(err.contains(named), "{key}={value}: {err}");
        }
    }

    #[test]
    fn webhook_limits_are_read_and_checked() {
        let hook = [("FAQBOT__BOT__WEBHOOK__URL", "https://bot.example.org/tg")];
        let webhook = Settings::load(None, env(&hook))
            .unwrap()
            .bot
            .webhook
            .unwrap();
        assert_eq!(webhook.max_body_bytes, 1 << 20);
        assert_eq!(webhook.read_timeout, Duration::from_secs(10));
        for (key, value, named) in [
            (
                "FAQBOT__BOT__WEBHOOK__MAX_BODY_BYTES",
                "10",
                "bot.webhook.max_body_bytes",
            ),
            (
                "FAQBOT__BOT__WEBHOOK__READ_TIMEOUT_MS",
                "0",
                "bot.webhook.read_timeout_ms",
            ),
        ] {
            let err = Settings::load(None, env(&[hook[0], (key, value)])).unwrap_err();
            assert!(err.to_string().contains(named), "{err}");
        }
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
    fn the_model_cache_is_in_the_user_cache_folder_unless_set_or_off() {
        let cache = |pairs: &[(&str, &str)]| {
            Settings::load(None, env(pairs))
                .unwrap()
                .matcher
                .model_cache
                .map(|cache| cache.dir().to_path_buf())
        };
        let home = ("HOME", "/home/ann");
        assert_eq!(
            cache(&[home]),
            Some(PathBuf::from("/home/ann/.cache/faqbot"))
        );
        assert_eq!(
            cache(&[home, ("XDG_CACHE_HOME", "/var/cache/ann")]),
            Some(PathBuf::from("/var/cache/ann/faqbot"))
        );
        // Relative base folders are ignored, as the XDG rules say.
        assert_eq!(
            cache(&[home, ("XDG_CACHE_HOME", "cache")]),
            Some(PathBuf::from("/home/ann/.cache/faqbot"))
        );
        assert_eq!(cache(&[("HOME", "")]), None);
        assert_eq!(
            cache(&[home, ("FAQBOT__KNOWLEDGE__CACHE_DIR", "/srv/faqbot/cache")]),
            Some(PathBuf::from("/srv/faqbot/cache"))
        );
        assert_eq!(cache(&[home, ("FAQBOT__KNOWLEDGE__CACHE", "false")]), None);
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
    fn admin_ids_from_the_environment_take_every_form() {
        for (value, ids) in [
            ("123456789", vec![123456789]),
            ("42,43", vec![42, 43]),
            ("42, 43", vec![42, 43]),
            (" 42 ,43 ", vec![42, 43]),
            ("42,", vec![42]),
            ("", vec![]),
        ] {
            let settings = Settings::load(None, env(&[("FAQBOT__ADMIN__USER_IDS", value)]))
                .unwrap_or_else(|err| panic!("{value:?}: {err:#}"));
            assert_eq!(settings.admins, ids, "{value:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("faqbot.toml");
        std::fs::write(&path, "[admin]\nuser_ids = [7, 8]\n").unwrap();
        assert_eq!(
            Settings::load(Some(&path), HashMap::new()).unwrap().admins,
            [7, 8]
        );
        let err = Settings::load(None, env(&[("FAQBOT__ADMIN__USER_IDS", "42,bob")])).unwrap_err();
        let shown = format!("{:#}", anyhow::Error::from(err));
        assert!(
            shown.contains("'bob'") && shown.contains("admin.user_ids"),
            "{shown}"
        );
    }

    #[test]
    fn a_bad_type_is_told_once() {
        let err =
            Settings::load(None, env(&[("FAQBOT__MATCHER__MAX_CHOICES", "many")])).unwrap_err();
        let shown = format!("{:#}", anyhow::Error::from(err));
        assert!(shown.contains("max_choices"), "{shown}");
        assert_eq!(shown.matches("invalid settings").count(), 1, "{shown}");
        assert_eq!(shown.matches("max_choices").count(), 1, "{shown}");
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
        let err = Settings::load(None, env(&[("FAQBOT__MATCHER__LEAD_THRESHOLD", "0.5")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("matcher.lead_threshold"), "{err}");
        let err = Settings::load(Some(Path::new("/nonexistent/faqbot.toml")), HashMap::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/faqbot.toml"), "{err}");
        let err = Settings::load(None, env(&[("FAQBOT__BOT__TIMEZONE", "Mars/Olympus")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bot.timezone") && err.contains("Mars/Olympus"),
            "{err}"
        );
        let err = Settings::load(None, env(&[("FAQBOT__BOT__REMINDER_DAYS_BEFORE", "0")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("bot.reminder_days_before"), "{err}");
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
