//! `outpost`: the command line over Outpost's pipeline.
//!
//! Each subcommand is a thin layer over the library stages: ingest → extract → annotate →
//! code → store → serve. Exit codes: 0 success, 1 error, 2 usage error, 3 some inputs were
//! skipped (each reported on stderr with its path and reason).

mod commands;
mod pipeline;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
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
        /// The SQLite database file (created if missing).
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        #[command(flatten)]
        input: InputOpts,
        #[command(flatten)]
        dicts: DictOpts,
    },
    /// Serve the event database: a first dashboard page and the JSON API.
    Serve {
        /// The SQLite database file.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// Address to listen on (loopback only for now).
        #[arg(long, default_value = "127.0.0.1:8710")]
        addr: SocketAddr,
    },
    /// Ingest the bundled sample corpus (examples/corpus) and serve it at http://127.0.0.1:8710.
    Demo {
        /// The SQLite database file for the demo.
        #[arg(long, env = "OUTPOST_DB", default_value = "outpost.db")]
        db: PathBuf,
        /// Address to listen on (loopback only for now).
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
    /// Extra actor dictionary (format of dict/actors.tsv, see dict/README.md); may repeat.
    #[arg(long = "actors", value_name = "FILE")]
    pub actors: Vec<PathBuf>,
    /// Extra event (verb) dictionary (format of dict/verbs.tsv, see dict/README.md); may repeat.
    #[arg(long = "verbs", value_name = "FILE")]
    pub verbs: Vec<PathBuf>,
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
            input,
            dicts,
            format,
        } => commands::code(&inputs, &input, &dicts, format),
        Command::Geo { inputs, input } => commands::geo(&inputs, &input),
        Command::Ingest {
            inputs,
            db,
            input,
            dicts,
        } => commands::ingest(&inputs, &db, &input, &dicts).map(|s| s.skipped > 0),
        Command::Serve { db, addr } => commands::serve(&db, addr).map(|()| false),
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
