//! `outpost`: the command line over Outpost's pipeline.
//!
//! Each subcommand is a thin layer over the library stages: ingest → extract → annotate →
//! code → store → serve. Exit codes: 0 success, 1 error, 2 usage error, 3 some inputs were
//! skipped (each reported on stderr with its path and reason).

/// `println!` for reports on standard output that ends the process quietly when the reader
/// has gone (`outpost bench geo … | head`): a closed pipe is no error of ours, and `println!`
/// would panic on it. Other write errors end the process with a message and exit code 1.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            crate::stdout_failed(&e)
        }
    }};
}

/// `print!` with the same handling as `outln!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($arg)*).and_then(|()| std::io::stdout().flush()) {
            crate::stdout_failed(&e)
        }
    }};
}

/// Ends the process after a failed write to standard output (see `outln!`).
fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(i32::from(EXIT_OK));
    }
    eprintln!("error: writing to standard output: {e}");
    std::process::exit(1)
}

mod bench_dedup;
mod bench_events;
mod commands;
mod pipeline;
mod synth;
mod synth_stories;
mod watch;
mod work;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc instead of the system allocator: annotation and coding make many small, short-lived
/// strings and vectors, and glibc's malloc spends a quarter of that time in malloc and free
/// (merging freed chunks on every larger request).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code when every input worked.
const EXIT_OK: u8 = 0;
/// Exit code when some inputs were skipped (the rest was processed).
pub const EXIT_SKIPPED: u8 = 3;

/// Outpost: turns news pages into a database of coded political events.
///
/// Point it at HTML pages, text dumps, directories or JSONL corpora; it extracts each article,
/// finds who did what to whom, where and when (PLOVER, CAMEO and ACLED codes, with the evidence
/// sentence), stores the events in SQLite and serves them over HTTP.
#[derive(Parser, Debug)]
#[command(name = "outpost", version, about, long_about, after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_HELP: &str = "Exit status: 0 ok, 1 error, 2 usage error, 3 some inputs were skipped \
(each skipped input is reported on stderr with its path and reason).";

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract the article (title, date, wire, text, …) from pages; prints one JSON object per input.
    Extract {
        /// HTML pages, text dumps, directories or JSONL corpora.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        input: InputOpts,
        /// Pretty-print the JSON.
        #[arg(long)]
        pretty: bool,
    },
    /// Code the events in pages; prints one JSON event per line.
    Code {
        /// HTML pages, text dumps, directories or JSONL corpora.
        #[arg(required_unless_present = "jsonl")]
        inputs: Vec<PathBuf>,
        /// A JSONL file of records with `id`, `text` or `html`, and optional `date` and `url`;
        /// each event's `evidence.article_id` is the record's `id`.
        #[arg(long, value_name = "FILE")]
        jsonl: Option<PathBuf>,
        #[command(flatten)]
        input: InputOpts,
        #[command(flatten)]
        dicts: DictOpts,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CodeFormat::Jsonl)]
        format: CodeFormat,
    },
    /// Find and resolve the place names in pages; prints one JSON object per input.
    Geo {
        /// HTML pages, text dumps, directories or JSONL corpora.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        input: InputOpts,
    },
    /// Ingest pages into the event database (extract, code, store). Re-ingesting adds nothing.
    Ingest {
        /// HTML pages, text dumps, directories or JSONL corpora.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The database: a SQLite file (created if missing) or a postgres:// URL.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        #[command(flatten)]
        input: InputOpts,
        #[command(flatten)]
        dicts: DictOpts,
    },
    /// Serve the event database: a first dashboard page and the JSON API.
    Serve {
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// Address to listen on. Any address but loopback needs --token.
        #[arg(long, default_value = "127.0.0.1:8710")]
        addr: SocketAddr,
        /// Access token the API and dashboard require (16–256 characters of A–Z a–z 0–9 - . _ ~);
        /// clients send `Authorization: Bearer TOKEN`, browsers open `/?token=TOKEN` once.
        #[arg(long, env = "OUTPOST_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Queue files (or directories of files) for `outpost worker`s sharing the database.
    Enqueue {
        /// Files or directories; every file becomes one work item (by absolute path).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The database: a SQLite file or a postgres:// URL shared by the workers.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
    },
    /// Process queued work items (run any number, on any hosts sharing a PostgreSQL database).
    Worker {
        /// The database: a SQLite file or a postgres:// URL shared by the workers.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// This worker's name in the queue [default: HOST:PID].
        #[arg(long)]
        name: Option<String>,
        /// Seconds a claimed item stays this worker's without a heartbeat; after that another
        /// worker may take it over.
        #[arg(long, default_value_t = 120, value_name = "SECONDS")]
        lease: u64,
        /// Exit when the queue is empty instead of waiting for more work.
        #[arg(long)]
        exit_when_empty: bool,
        #[command(flatten)]
        input: InputOpts,
        #[command(flatten)]
        dicts: DictOpts,
    },
    /// Follow news feeds (RSS, Atom, JSON Feed): poll them, fetch new articles politely, ingest
    /// them continuously and fire alerts, until Ctrl-C / SIGTERM.
    Watch {
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// TOML file of `[[feed]]` tables (url, name, interval, language); feeds added with
        /// `outpost add-feed` are followed too.
        #[arg(long)]
        feeds: Option<PathBuf>,
        /// TOML file of alert rules (`[[alert]]` tables, optional `webhook` and `stdout`).
        #[arg(long)]
        alerts: Option<PathBuf>,
        /// Allow requests to loopback, private and link-local addresses (intranets, tests).
        #[arg(long)]
        allow_private: bool,
        /// The User-Agent to send; please include a contact.
        #[arg(long)]
        user_agent: Option<String>,
        #[command(flatten)]
        dicts: DictOpts,
    },
    /// Add a news feed to the database for `outpost watch` to follow.
    AddFeed {
        /// The feed's URL (http or https).
        url: String,
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// A display name.
        #[arg(long)]
        name: Option<String>,
        /// Seconds between polls.
        #[arg(long, default_value_t = 600)]
        interval: u32,
        /// Language of the feed's articles (ISO 639-1).
        #[arg(long)]
        language: Option<String>,
    },
    /// Export stored events: GDELT 2.0 event or mentions table, CSV, JSONL or Parquet.
    Export {
        /// The database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// Output format: gdelt (GDELT 2.0 events, 61 tab-separated columns), gdelt-mentions,
        /// csv, jsonl or parquet.
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// Output file (`-` for stdout; parquet needs a file).
        #[arg(long, short, default_value = "-")]
        out: PathBuf,
        /// Only events on or after this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Only events on or before this date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Only events whose source, target or location is in this country (ISO3).
        #[arg(long)]
        country: Option<String>,
        /// Only this PLOVER type (e.g. ASSAULT).
        #[arg(long)]
        plover: Option<String>,
        /// Only this CAMEO root (two digits, e.g. 19).
        #[arg(long)]
        cameo_root: Option<String>,
        /// Only this QuadClass (1–4).
        #[arg(long)]
        quad_class: Option<u8>,
        /// Only this status (occurred, planned, denied, hypothetical, claimed).
        #[arg(long)]
        status: Option<String>,
        /// Only events whose evidence matches these words.
        #[arg(long)]
        query: Option<String>,
        /// Every coded event mention, instead of each real-world event once (the aggregated
        /// view, with NumMentions/NumSources/NumArticles; gdelt-mentions then lists every
        /// mention of each event).
        #[arg(long)]
        all_mentions: bool,
    },
    /// Benchmarks and their inputs.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Ingest the bundled sample corpus (examples/corpus) and serve it at http://127.0.0.1:8710.
    Demo {
        /// The SQLite database file for the demo.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// Address to listen on (loopback).
        #[arg(long, default_value = "127.0.0.1:8710")]
        addr: SocketAddr,
        /// The corpus to ingest (default: the bundled examples/corpus).
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Ingest only; do not start the server.
        #[arg(long)]
        no_serve: bool,
    },
}

/// `outpost bench …`
#[derive(Subcommand, Debug)]
enum BenchCommand {
    /// Score the event coder against a gold file (JSONL: id, text, events with PLOVER type,
    /// CAMEO code and actor codes): type accuracy and F1, actor country accuracy, ACLED
    /// sub-event F1, a confusion summary and speed.
    Events {
        /// The gold JSONL file.
        gold: PathBuf,
        /// How many of the worst cases to list.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        #[command(flatten)]
        dicts: DictOpts,
    },
    /// Score and time article extraction on a directory of pages with their true bodies
    /// (`<id>.html` or `<id>.txt` text dumps, each with `<id>.json` holding `body`): prints F1,
    /// precision, recall (ScrapingHub's shingle F1), pages/s and MB/s.
    Extract {
        /// The directory of pages and truths.
        dir: PathBuf,
        /// Also write one `<id>.json` (with `body`) per page here, for an independent scorer.
        #[arg(long)]
        out: Option<PathBuf>,
        /// How many of the worst pages to list.
        #[arg(long, default_value_t = 5)]
        errors: usize,
        /// Fail (exit 1) when F1 is below this floor (for CI guards).
        #[arg(long, value_name = "F1")]
        min_f1: Option<f64>,
    },
    /// Score toponym recognition and resolution against a gold file (JSONL: id, text, toponyms
    /// with spans, coordinates and GeoNames ids): prints P/R/F1, exact-id and within-161-km
    /// accuracy, articles/s and the gazetteer's load time.
    Geo {
        /// The gold JSONL file.
        gold: PathBuf,
        /// Resolve the gold spans instead of recognising toponyms first.
        #[arg(long)]
        gold_spans: bool,
        /// How many of the worst errors to list.
        #[arg(long, default_value_t = 0)]
        errors: usize,
    },
    /// Score story clustering and event aggregation on a generated corpus: K events, each
    /// written up by R outlets in different words, each write-up republished as C copies
    /// (syndicated sites, URL variants). Prints pairwise precision/recall/F1 of story
    /// clusters over pages, aggregated events against K, and ingest time.
    Dedup {
        /// Number of distinct events (K).
        #[arg(long, default_value_t = 200)]
        events: usize,
        /// Write-ups per event, each by a different outlet in different words (R).
        #[arg(long, default_value_t = 4)]
        rewrites: usize,
        /// Republished copies of each write-up besides the outlet's own page (C).
        #[arg(long, default_value_t = 4)]
        copies: usize,
        /// Random seed (the same seed gives the same corpus).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Database to ingest into (must not exist yet) [default: a file in the corpus dir].
        #[arg(long)]
        db: Option<PathBuf>,
        /// Ingest with event aggregation and story clustering switched off (for timing).
        #[arg(long)]
        no_aggregate: bool,
        /// Write the corpus (pages/, truth.tsv) and the default database here and keep them.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
        /// Fail (exit 1) when pair precision is below this.
        #[arg(long)]
        min_precision: Option<f64>,
        /// Fail (exit 1) when pair recall is below this.
        #[arg(long)]
        min_recall: Option<f64>,
        /// Fail (exit 1) when |aggregated events − K| / K is above this (e.g. 0.05).
        #[arg(long)]
        max_count_error: Option<f64>,
    },
    /// Write a synthetic corpus of realistic news pages (JSONL: url, date, html) for benchmarks.
    Corpus {
        /// How many pages.
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        /// Random seed (the same seed gives the same corpus).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (`-` for stdout).
        #[arg(long, default_value = "-")]
        out: PathBuf,
    },
}

/// Options on how inputs are read.
#[derive(clap::Args, Debug, Clone)]
pub struct InputOpts {
    /// Skip any single input (file or JSONL record) larger than this many bytes.
    #[arg(long, default_value_t = outpost_ingest::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    pub max_bytes: u64,
}

/// User dictionaries.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DictOpts {
    /// Your own dictionary: one file with [actors], [roles], [verbs] and [cues] sections that
    /// add to or override the built-in dictionaries (format: dict/README.md, "Your own
    /// dictionary"); may repeat. A file without sections is routed by its name.
    #[arg(long = "dict", value_name = "FILE")]
    pub dict: Vec<PathBuf>,
}

/// How `outpost code` prints events.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFormat {
    /// One JSON object per line.
    Jsonl,
    /// Pretty-printed JSON objects.
    Json,
    /// A short human-readable line per event.
    Table,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract {
            inputs,
            input,
            pretty,
        } => commands::extract(&inputs, &input, pretty),
        Command::Code {
            inputs,
            jsonl,
            input,
            dicts,
            format,
        } => match jsonl {
            Some(file) => commands::code_jsonl(&file, &input, &dicts, format),
            None => commands::code(&inputs, &input, &dicts, format),
        },
        Command::Geo { inputs, input } => commands::geo(&inputs, &input),
        Command::Ingest {
            inputs,
            db,
            input,
            dicts,
        } => commands::ingest(&inputs, &db, &input, &dicts).map(|s| s.skipped > 0),
        Command::Serve { db, addr, token } => commands::serve(&db, addr, token).map(|()| false),
        Command::Enqueue { inputs, db } => work::enqueue(&db, &inputs).map(|(added, known)| {
            eprintln!("{added} items queued, {known} already queued");
            false
        }),
        Command::Worker {
            db,
            name,
            lease,
            exit_when_empty,
            input,
            dicts,
        } => work::worker(
            &db,
            &work::WorkerOpts {
                name,
                lease: Duration::from_secs(lease.max(1)),
                exit_when_empty,
                poll: Duration::from_secs(2),
                max_bytes: input.max_bytes,
            },
            &commands::dict_files(&dicts),
        )
        .map(|s| s.skipped > 0),
        Command::Watch {
            db,
            feeds,
            alerts,
            allow_private,
            user_agent,
            dicts,
        } => crate::watch::watch(
            &db,
            feeds.as_deref(),
            alerts.as_deref(),
            allow_private,
            user_agent,
            &commands::dict_files(&dicts),
        )
        .map(|()| false),
        Command::AddFeed {
            url,
            db,
            name,
            interval,
            language,
        } => crate::watch::add_feed(&db, url, name, interval, language).map(|()| false),
        Command::Export {
            db,
            format,
            out,
            from,
            to,
            country,
            plover,
            cameo_root,
            quad_class,
            status,
            query,
            all_mentions,
        } => commands::export(
            &db,
            &format,
            &out,
            commands::ExportArgs {
                from,
                to,
                country,
                plover,
                cameo_root,
                quad_class,
                status,
                query,
                all_mentions,
            },
        )
        .map(|()| false),
        Command::Bench(BenchCommand::Extract {
            dir,
            out,
            errors,
            min_f1,
        }) => commands::bench_extract(&dir, out.as_deref(), errors, min_f1).map(|()| false),
        Command::Bench(BenchCommand::Geo {
            gold,
            gold_spans,
            errors,
        }) => commands::bench_geo(&gold, gold_spans, errors).map(|()| false),
        Command::Bench(BenchCommand::Events {
            gold,
            errors,
            dicts,
        }) => bench_events::run(&gold, &commands::dict_files(&dicts), errors).map(|()| false),
        Command::Bench(BenchCommand::Dedup {
            events,
            rewrites,
            copies,
            seed,
            db,
            no_aggregate,
            keep,
            min_precision,
            min_recall,
            max_count_error,
        }) => bench_dedup::run(&bench_dedup::DedupOpts {
            params: synth_stories::StoryParams {
                events,
                rewrites,
                copies,
                seed,
            },
            db,
            aggregate: !no_aggregate,
            keep,
            min_precision,
            min_recall,
            max_count_error,
        })
        .map(|()| false),
        Command::Bench(BenchCommand::Corpus {
            articles,
            seed,
            out,
        }) => commands::write_corpus(articles, seed, &out).map(|()| false),
        Command::Demo {
            db,
            addr,
            corpus,
            no_serve,
        } => commands::demo(&db, addr, corpus, no_serve),
    };
    match result {
        Ok(false) => ExitCode::from(EXIT_OK),
        Ok(true) => ExitCode::from(EXIT_SKIPPED),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
