//! The `faqbot` command: parses arguments, loads settings and knowledge, sets
//! up logging, and runs one command from the library.

use std::io::{self, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use faqbot::cli::{self, Format};
use faqbot::report::Format as ReportFormat;
use faqbot::settings::Settings;
use faqbot::{Faq, Lang, cooling};

/// Answers questions about deleting a WeChat Channels (视频号) account, in
/// Chinese or English.
#[derive(Debug, Parser)]
#[command(name = "faqbot", version, about, long_about = None)]
struct Args {
    /// Settings file (TOML) layered over the built-in config/default.toml.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Knowledge folder [default: the knowledge.dir setting, "knowledge"].
    #[arg(long, global = true, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Answer a question; without one, answer each line of standard input.
    Ask {
        /// The question (several words need no quotes).
        question: Vec<String>,
        /// Reply in this language (zh or en) instead of the question's.
        #[arg(long, value_name = "zh|en")]
        lang: Option<Lang>,
        /// Print one JSON object per reply.
        #[arg(long, conflicts_with = "explain")]
        json: bool,
        /// Also print the best-scoring topics (out-of-scope examples included), to see why.
        #[arg(long)]
        explain: bool,
        /// Take this day as today for the cooling-off calculator (default: today in bot.timezone).
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
        /// Answer this many lines of standard input side by side (default:
        /// one per CPU core; one when typing at a terminal). Replies keep
        /// the order of the lines.
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<NonZeroUsize>,
    },
    /// Talk to the bot in the terminal.
    Chat {
        /// Reply in this language (zh or en) instead of each question's.
        #[arg(long, value_name = "zh|en")]
        lang: Option<Lang>,
        /// Take this day as today for the cooling-off calculator (default: today in bot.timezone).
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
    },
    /// Validate the knowledge folder and print every problem as file:line: message.
    Check,
    /// Run the Telegram bot (token from TELOXIDE_TOKEN or bot.token).
    ///
    /// Long polling by default; webhook mode when bot.webhook.url is set.
    /// SIGHUP reloads the knowledge; SIGTERM or Ctrl-C stops the bot after
    /// the updates in hand.
    Serve,
    /// Measure the bot on question sets (JSON lines: {"q": ..., "expect": [ids], "lang"?, "tags"?}; "@cooling" expects the cooling-off calculator; other fields are ignored).
    ///
    /// Prints top-1 accuracy, useful rate (right answer or right choice
    /// offered), out-of-scope rejection and harm (wrong answers plus answered
    /// out-of-scope questions, over all), per language and per tag, then
    /// every miss.
    Eval {
        /// The question sets (their figures are counted together).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the figures only, not the misses (for a held-out test set,
        /// whose lines must not be read).
        #[arg(long)]
        summary: bool,
        /// Exit with status 1 if top-1 accuracy on in-scope questions is below this (0-1).
        #[arg(long, value_name = "X")]
        min_accuracy: Option<f64>,
        /// Exit with status 1 if the useful rate on in-scope questions is below this (0-1).
        #[arg(long, value_name = "X")]
        min_useful: Option<f64>,
        /// Exit with status 1 if out-of-scope rejection is below this (0-1).
        #[arg(long, value_name = "X")]
        min_rejection: Option<f64>,
        /// Exit with status 1 if harm is above this (0-1).
        #[arg(long, value_name = "X")]
        max_harm: Option<f64>,
        /// Measure the baseline instead: a plain edit-distance scan over all variants.
        #[arg(long)]
        baseline: bool,
        /// Measure each file as if the knowledge had never seen it: without
        /// the example questions (knowledge/examples/NAME.jsonl) of the same
        /// name (the file's name up to its first dot).
        #[arg(long)]
        leave_out: bool,
    },
    /// Print a report from the bot's store (store.path); safe while the bot runs.
    Report {
        /// unanswered: questions the bot could not answer, near-duplicates
        /// grouped, with the entries they nearly matched. feedback: 👍/👎 and
        /// "my app looks different" reports per entry, worst first.
        #[arg(value_enum)]
        report: cli::ReportKind,
        /// Only records this recent: 30m, 12h, 7d, 2w.
        #[arg(long, value_name = "SPAN", default_value = "30d")]
        since: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Triage unanswered questions: each group with its nearest entries and
    /// the TOML line to paste; --apply adds a group to an entry for you.
    Suggest {
        /// Only questions this recent: 30m, 12h, 7d, 2w.
        #[arg(long, value_name = "SPAN", default_value = "30d")]
        since: String,
        /// Groups shown at most.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        /// Add group ID's phrasing to an entry's questions (validated and
        /// written atomically, keeping the file's comments and layout).
        #[arg(long, value_name = "ID", conflicts_with = "ignore")]
        apply: Option<String>,
        /// The entry to add to with --apply [default: the nearest].
        #[arg(long, value_name = "ENTRY", requires = "apply")]
        to: Option<String>,
        /// Mark group ID as not worth an entry; it is not suggested again.
        #[arg(long, value_name = "ID")]
        ignore: Option<String>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        // A closed pipe (`faqbot ask ... | head`) is the reader's choice, not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(args.config.as_deref(), std::env::vars().collect())?;
    let serving = matches!(args.command, Command::Serve);
    init_logging(if serving { &settings.log_level } else { "warn" });
    let dir = args
        .knowledge
        .unwrap_or_else(|| settings.knowledge_dir.clone());
    if serving {
        serve(settings, &dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut stdout = io::stdout().lock();

    match &args.command {
        Command::Report {
            report,
            since,
            format,
        } => {
            let since = since_arg(since)?;
            let store = faqbot::store::SqliteStore::open_existing(&settings.store.path)?;
            let faq = match report {
                cli::ReportKind::Unanswered => {
                    Some(Faq::load(&dir, &settings.limits, settings.matcher.clone())?)
                }
                cli::ReportKind::Feedback => None,
            };
            cli::report(&store, faq.as_ref(), *report, since, *format, &mut stdout)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Suggest {
            since,
            limit,
            apply,
            to,
            ignore,
        } => {
            let since = since_arg(since)?;
            let store = faqbot::store::SqliteStore::open_existing(&settings.store.path)?;
            let faq = Faq::load(&dir, &settings.limits, settings.matcher.clone())?;
            let action = match (apply, ignore) {
                (Some(group), _) => cli::Triage::Add {
                    group,
                    entry: to.as_deref(),
                },
                (None, Some(group)) => cli::Triage::Ignore { group },
                (None, None) => {
                    cli::suggest(&store, &faq, since, *limit, &mut stdout)?;
                    return Ok(ExitCode::SUCCESS);
                }
            };
            cli::triage(
                &store,
                &faq,
                &dir,
                &settings.limits,
                since,
                action,
                &mut stdout,
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }

    if let Command::Check = args.command {
        let valid = cli::check(&dir, &settings.limits, &mut stdout)?;
        return Ok(if valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }

    let started = std::time::Instant::now();
    let faq = Faq::load(&dir, &settings.limits, settings.matcher.clone())?;
    tracing::info!(
        entries = faq.knowledge().entries.len(),
        variants = faq.matcher().variant_count(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "knowledge loaded"
    );

    match args.command {
        Command::Ask {
            question,
            lang,
            json,
            explain,
            today,
            jobs,
        } => {
            let today = today.unwrap_or_else(|| cooling::today(&settings.bot.timezone));
            let format = if json { Format::Json } else { Format::Text };
            if explain && !question.is_empty() {
                cli::explain(&faq, &question.join(" "), &mut stdout)?;
            }
            if question.is_empty() {
                if io::stdin().is_terminal() {
                    eprintln!("reading questions from standard input, one a line (Ctrl-D ends)");
                }
                let stdin = io::stdin().lock();
                // Answers go out a line at a time to a terminal and in blocks
                // to a pipe or file (a batch of 10,000 questions would
                // otherwise cost a write per line).
                let interactive = stdout.is_terminal();
                let jobs = jobs.unwrap_or_else(|| {
                    if io::stdin().is_terminal() {
                        NonZeroUsize::MIN
                    } else {
                        std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
                    }
                });
                let mut out: Box<dyn Write> = if interactive {
                    Box::new(&mut stdout)
                } else {
                    Box::new(io::BufWriter::with_capacity(1 << 16, &mut stdout))
                };
                cli::ask_lines(
                    &faq,
                    stdin,
                    lang,
                    today,
                    format,
                    jobs,
                    &mut out,
                    &mut io::stderr(),
                )?;
            } else {
                cli::ask(&faq, &question.join(" "), lang, today, format, &mut stdout)?;
            }
        }
        Command::Chat { lang, today } => {
            let today = today.unwrap_or_else(|| cooling::today(&settings.bot.timezone));
            let prompt = io::stdin().is_terminal();
            cli::chat(&faq, io::stdin().lock(), &mut stdout, lang, today, prompt)?;
        }
        Command::Eval {
            files,
            summary,
            min_accuracy,
            min_useful,
            min_rejection,
            max_harm,
            baseline,
            leave_out,
        } => {
            let today = cooling::today(&settings.bot.timezone);
            let options = cli::EvalOptions {
                baseline,
                leave_out,
                summary,
            };
            let report = cli::eval(&faq, &files, options, today, &mut stdout)?;
            let all = &report.all;
            let checks = [
                ("top-1 accuracy", all.accuracy(), min_accuracy, true),
                ("useful rate", all.useful(), min_useful, true),
                (
                    "out-of-scope rejection",
                    all.rejection(),
                    min_rejection,
                    true,
                ),
                ("harm", all.harm(), max_harm, false),
            ];
            let mut failed = false;
            for (name, value, limit, at_least) in checks {
                let Some(limit) = limit else { continue };
                if (at_least && value < limit) || (!at_least && value > limit) {
                    let side = if at_least {
                        "below the minimum"
                    } else {
                        "above the maximum"
                    };
                    eprintln!("error: {name} {value:.3} is {side} {limit}");
                    failed = true;
                }
            }
            if failed {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Check | Command::Serve | Command::Report { .. } | Command::Suggest { .. } => {
            unreachable!("handled above")
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// HTTP connections to the Bot API kept open while idle.
const IDLE_CONNECTIONS: usize = 16;

/// `faqbot serve`: loads the knowledge, wires the signals and runs the bot.
fn serve(settings: Settings, dir: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    use tokio::signal::unix::{SignalKind, signal};

    let token = settings.bot.token.clone().context(
        "no bot token: set TELOXIDE_TOKEN (or bot.token in the config) to the token @BotFather gave you",
    )?;
    let faq = faqbot::live::LiveFaq::load(dir, settings.limits.clone(), settings.matcher.clone())?;
    tracing::info!(
        dir = %dir.display(),
        entries = faq.snapshot().knowledge().entries.len(),
        "knowledge loaded"
    );
    let store = faqbot::store::SqliteStore::open(&settings.store.path)?;
    tracing::info!(path = %settings.store.path.display(), "store opened");
    let store: std::sync::Arc<dyn faqbot::store::Store> = std::sync::Arc::new(store);
    let options = faqbot::bot::Options::from_settings(&settings);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
        let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
        let mut hangup = signal(SignalKind::hangup()).context("cannot handle SIGHUP")?;
        let shutdown = async move {
            tokio::select! {
                _ = interrupt.recv() => tracing::info!("SIGINT received"),
                _ = terminate.recv() => tracing::info!("SIGTERM received"),
            }
            // A second signal means "now": don't wait for the updates in hand.
            tokio::spawn(async move {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
                eprintln!("error: stopped by a second signal before finishing the updates in hand");
                std::process::exit(1);
            });
        };
        let (reload_tx, reloads) = tokio::sync::mpsc::channel(1);
        tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                tracing::info!("SIGHUP received: reloading the knowledge");
                // A reload already queued covers this one too.
                let _ = reload_tx.try_send(());
            }
        });
        // Bursts of replies open many connections at once; keeping only a few
        // idle afterwards returns their buffers instead of holding them.
        let client = teloxide::net::default_reqwest_settings()
            .pool_max_idle_per_host(IDLE_CONNECTIONS)
            .build()
            .context("cannot set up the HTTP client")?;
        let bot = teloxide::Bot::with_client(token.expose(), client)
            .set_api_url(settings.bot.api_url.clone());
        let faq = std::sync::Arc::new(faq);
        faqbot::bot::run(bot, faq, store, options, shutdown, reloads).await
    })?;
    // Background tasks (a webhook server, the throttle queue) end with the runtime.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok(())
}

/// The start of a `--since SPAN` window, as a timestamp.
fn since_arg(span: &str) -> anyhow::Result<faqbot::store::Timestamp> {
    let span = faqbot::report::parse_span(span).map_err(|e| anyhow::anyhow!("--since: {e}"))?;
    Ok(faqbot::store::now().saturating_sub(span.as_secs().min(i64::MAX as u64) as i64))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .init();
}
