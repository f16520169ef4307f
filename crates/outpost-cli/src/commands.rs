//! The subcommands. Each returns `Ok(true)` when some inputs were skipped.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use outpost_core::annot::char_offset;
use outpost_core::{Article, Event, RawDoc};
use outpost_ingest::{IngestOptions, Item};
use outpost_store::{InsertOutcome, Store};
use serde_json::json;

use crate::pipeline::{DictFiles, Pipeline};
use crate::{CodeFormat, DictOpts, InputOpts};

/// Streams every raw document under `inputs` to `on_doc`; skipped records are reported on
/// stderr and counted. `on_doc` returning `Ok(false)` stops the stream (e.g. closed stdout).
fn for_each_doc(
    inputs: &[PathBuf],
    opts: &InputOpts,
    progress: bool,
    mut on_doc: impl FnMut(RawDoc) -> Result<Flow>,
    mut on_skip: impl FnMut(&str, &str),
) -> Result<usize> {
    let files = outpost_ingest::list_files(inputs)?;
    let total: u64 = files.iter().map(|f| f.size).sum();
    let bar = progress_bar(progress, total);
    let iopts = IngestOptions {
        max_bytes: opts.max_bytes,
    };
    let mut skipped = 0usize;
    let mut failure: Option<anyhow::Error> = None;
    let mut done_before = 0u64;
    'files: for f in &files {
        let mut stop = false;
        outpost_ingest::read_file(&f.path, &iopts, &mut |item, done| {
            if stop {
                return;
            }
            bar.set_position(done_before + done);
            match item {
                Item::Doc(doc) => match on_doc(doc) {
                    Ok(Flow::Continue) => {}
                    Ok(Flow::Stop) => stop = true,
                    Err(e) => {
                        failure = Some(e);
                        stop = true;
                    }
                },
                Item::Skip { source, reason } => {
                    skipped += 1;
                    bar.suspend(|| eprintln!("skipped {source}: {reason}"));
                    on_skip(&source, &reason);
                }
            }
        });
        done_before += f.size;
        if stop {
            break 'files;
        }
    }
    bar.finish_and_clear();
    match failure {
        Some(e) => Err(e),
        None => Ok(skipped),
    }
}

/// Whether to go on after a document.
pub enum Flow {
    /// Next document.
    Continue,
    /// Stop quietly (the reader went away).
    Stop,
}

fn progress_bar(enabled: bool, total: u64) -> ProgressBar {
    if !enabled || !io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Writes a line to stdout; a closed pipe (`| head`) ends the stream quietly.
fn emit(out: &mut impl Write, line: &str) -> Result<Flow> {
    match writeln!(out, "{line}") {
        Ok(()) => Ok(Flow::Continue),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Flow::Stop),
        Err(e) => Err(e).context("writing to stdout"),
    }
}

fn report_extract_error(source: &str, err: &outpost_extract::ExtractError) {
    eprintln!("skipped {source}: {err}");
}

/// `outpost extract`.
pub fn extract(inputs: &[PathBuf], opts: &InputOpts, pretty: bool) -> Result<bool> {
    let pipeline_extractor = outpost_extract::Extractor::new()
        .with_max_bytes(usize::try_from(opts.max_bytes).unwrap_or(usize::MAX));
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut bad = 0usize;
    let skipped = for_each_doc(
        inputs,
        opts,
        false,
        |raw| match pipeline_extractor.extract(&raw) {
            Ok(article) => {
                let line = if pretty {
                    serde_json::to_string_pretty(&article)?
                } else {
                    serde_json::to_string(&article)?
                };
                emit(&mut out, &line)
            }
            Err(e) => {
                bad += 1;
                report_extract_error(&raw.source, &e);
                Ok(Flow::Continue)
            }
        },
        |_, _| {},
    )?;
    out.flush().ok();
    Ok(skipped + bad > 0)
}

/// `outpost code`.
pub fn code(
    inputs: &[PathBuf],
    opts: &InputOpts,
    dicts: &DictOpts,
    format: CodeFormat,
) -> Result<bool> {
    let pipeline = Pipeline::load(opts.max_bytes, &dict_files(dicts))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut bad = 0usize;
    let skipped = for_each_doc(
        inputs,
        opts,
        false,
        |raw| {
            let article = match pipeline.extract(&raw) {
                Ok(a) => a,
                Err(e) => {
                    bad += 1;
                    report_extract_error(&raw.source, &e);
                    return Ok(Flow::Continue);
                }
            };
            emit_events(&mut out, &pipeline.code(&article), format)
        },
        |_, _| {},
    )?;
    out.flush().ok();
    Ok(skipped + bad > 0)
}

/// `outpost code --jsonl FILE`: records with an `id`, which becomes each event's article id.
pub fn code_jsonl(
    file: &Path,
    opts: &InputOpts,
    dicts: &DictOpts,
    format: CodeFormat,
) -> Result<bool> {
    use std::io::BufRead;
    let pipeline = Pipeline::load(opts.max_bytes, &dict_files(dicts))?;
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut bad = 0usize;
    for (i, line) in io::BufReader::new(f).lines().enumerate() {
        let source = format!("{}:{}", file.display(), i + 1);
        let line = line.with_context(|| format!("reading {source}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let id = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(v) => match &v["id"] {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            },
            Err(_) => None,
        };
        let raw = outpost_ingest::parse_record(line.as_bytes(), &source);
        let (id, raw) = match (id, raw) {
            (Some(id), Ok(raw)) => (id, raw),
            (_, Err(reason)) => {
                bad += 1;
                eprintln!("skipped {source}: {reason}");
                continue;
            }
            (None, Ok(_)) => {
                bad += 1;
                eprintln!("skipped {source}: record has no \"id\"");
                continue;
            }
        };
        let article = match pipeline.extract(&raw) {
            Ok(a) => a,
            Err(e) => {
                bad += 1;
                report_extract_error(&source, &e);
                continue;
            }
        };
        if let Flow::Stop = emit_events(&mut out, &pipeline.code_with_id(&article, &id), format)? {
            return Ok(bad > 0);
        }
    }
    out.flush().ok();
    Ok(bad > 0)
}

/// Prints events in the chosen format; stops early when stdout is closed.
fn emit_events(out: &mut impl Write, events: &[Event], format: CodeFormat) -> Result<Flow> {
    for ev in events {
        let line = match format {
            CodeFormat::Jsonl => serde_json::to_string(ev)?,
            CodeFormat::Json => serde_json::to_string_pretty(ev)?,
            CodeFormat::Table => table_line(ev),
        };
        if let Flow::Stop = emit(out, &line)? {
            return Ok(Flow::Stop);
        }
    }
    Ok(Flow::Continue)
}

fn table_line(ev: &Event) -> String {
    let date = ev.date.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let kind = match &ev.mode {
        Some(m) => format!("{}-{}", ev.plover, m),
        None => ev.plover.clone(),
    };
    let target = ev.target.as_ref().map_or("-", |t| t.code.as_str());
    let place = ev.location.as_ref().map_or("-", |l| l.name.as_str());
    format!(
        "{date:<10} {kind:<20} {:<5} {:>12} -> {:<12} {:<10} {place:<20} «{}»",
        ev.cameo,
        ev.source.code,
        target,
        ev.status.as_str(),
        ev.evidence.trigger
    )
}

pub(crate) fn dict_files(d: &DictOpts) -> DictFiles {
    DictFiles {
        files: d.dict.clone(),
    }
}

/// `outpost geo`.
pub fn geo(inputs: &[PathBuf], opts: &InputOpts) -> Result<bool> {
    let extractor = outpost_extract::Extractor::new()
        .with_max_bytes(usize::try_from(opts.max_bytes).unwrap_or(usize::MAX));
    let gaz = outpost_geo::Gazetteer::builtin().context("loading the gazetteer")?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut bad = 0usize;
    let skipped = for_each_doc(
        inputs,
        opts,
        false,
        |raw| {
            let article = match extractor.extract(&raw) {
                Ok(a) => a,
                Err(e) => {
                    bad += 1;
                    report_extract_error(&raw.source, &e);
                    return Ok(Flow::Continue);
                }
            };
            // the publisher's country (a country-code domain in `url`) is weak context
            let publisher = outpost_geo::publisher_context(article.url.as_deref());
            let places: Vec<_> = gaz
                .geoparse_in(&article.text, &publisher)
                .into_iter()
                .map(|p| {
                    let loc = p.location.as_ref();
                    json!({
                        "start": char_offset(&article.text, p.start),
                        "end": char_offset(&article.text, p.end),
                        "text": p.text,
                        "name": loc.map(|l| l.name.clone()),
                        "country": loc.and_then(|l| l.country.clone()),
                        "admin1": loc.and_then(|l| l.admin1.clone()),
                        "lat": loc.map(|l| l.lat),
                        "lon": loc.map(|l| l.lon),
                        "geonameid": loc.and_then(|l| l.geonameid),
                        "feature": p.feature,
                    })
                })
                .collect();
            let line =
                json!({"source": article.source, "article_id": article.id, "places": places});
            emit(&mut out, &line.to_string())
        },
        |_, _| {},
    )?;
    out.flush().ok();
    Ok(skipped + bad > 0)
}

/// What an ingest run did.
#[derive(Debug, Default)]
pub struct IngestSummary {
    /// New articles stored.
    pub added: usize,
    /// Articles already in the database.
    pub present: usize,
    /// Events stored with the new articles.
    pub events: usize,
    /// Inputs skipped.
    pub skipped: usize,
    /// Skip counts by reason (the reason's first words).
    pub reasons: BTreeMap<String, usize>,
}

/// `outpost ingest`.
pub fn ingest(
    inputs: &[PathBuf],
    db: &Path,
    opts: &InputOpts,
    dicts: &DictOpts,
) -> Result<IngestSummary> {
    ingest_with(inputs, db, opts, dicts, true)
}

/// `outpost ingest` with event aggregation on or off (`outpost bench dedup --no-aggregate`).
pub(crate) fn ingest_with(
    inputs: &[PathBuf],
    db: &Path,
    opts: &InputOpts,
    dicts: &DictOpts,
    aggregate: bool,
) -> Result<IngestSummary> {
    let started = Instant::now();
    let pipeline = Pipeline::load(opts.max_bytes, &dict_files(dicts))?;
    let mut store = open_store(db)?;
    store.set_aggregation(aggregate);
    let mut sum = IngestSummary::default();
    // Both callbacks log skips; a RefCell lets them share the log.
    let skip_log: std::cell::RefCell<Vec<(String, String)>> = Default::default();
    // Articles are committed in batches (see `Store::begin_batch`): each is still stored
    // whole or not at all, and what was committed is never lost.
    let mut batch = Batch::default();
    store.begin_batch().context("starting a write batch")?;
    let streamed = for_each_doc(
        inputs,
        opts,
        true,
        |raw| {
            let article = match pipeline.extract(&raw) {
                Ok(a) => a,
                Err(e) => {
                    report_extract_error(&raw.source, &e);
                    skip_log
                        .borrow_mut()
                        .push((raw.source.clone(), e.to_string()));
                    return Ok(Flow::Continue);
                }
            };
            store_article(&pipeline, &mut store, &article, &mut sum)?;
            batch.added(&mut store)?;
            Ok(Flow::Continue)
        },
        |source, reason| {
            skip_log
                .borrow_mut()
                .push((source.to_owned(), reason.to_owned()))
        },
    );
    // Keep what was stored before an error, then report it.
    store
        .commit_batch()
        .context("committing the last write batch")?;
    streamed?;
    let skip_log = skip_log.into_inner();
    for (source, reason) in &skip_log {
        store
            .record_skip(source, reason)
            .with_context(|| format!("recording skipped input {source}"))?;
        *sum.reasons.entry(reason_key(reason)).or_default() += 1;
    }
    sum.skipped = skip_log.len();
    let secs = started.elapsed().as_secs_f64();
    let real = store
        .aggregated_event_count()
        .context("counting aggregated events")?;
    eprintln!(
        "ingested in {secs:.1}s ({:.0} articles/s): {} articles added, {} already present, {} events coded, {} inputs skipped; the database now holds {real} real-world events",
        (sum.added + sum.present) as f64 / secs.max(1e-9),
        sum.added,
        sum.present,
        sum.events,
        sum.skipped
    );
    for (reason, n) in &sum.reasons {
        eprintln!("  skipped {n} × {reason}");
    }
    Ok(sum)
}

/// When to commit an ingest's write batch: every [`Batch::ARTICLES`] articles or
/// [`Batch::AGE`], whichever comes first (so a reader sees new articles within about a
/// second even when they trickle in).
struct Batch {
    pending: usize,
    opened: Instant,
}

impl Default for Batch {
    fn default() -> Self {
        Batch {
            pending: 0,
            opened: Instant::now(),
        }
    }
}

impl Batch {
    const ARTICLES: usize = 512;
    const AGE: std::time::Duration = std::time::Duration::from_secs(1);

    /// Counts one stored article and commits the batch when it is full or old.
    fn added(&mut self, store: &mut Store) -> Result<()> {
        self.pending += 1;
        if self.pending >= Self::ARTICLES || self.opened.elapsed() >= Self::AGE {
            store.commit_batch().context("committing a write batch")?;
            store.begin_batch().context("starting a write batch")?;
            *self = Batch::default();
        }
        Ok(())
    }
}

pub(crate) fn store_article(
    pipeline: &Pipeline,
    store: &mut Store,
    article: &Article,
    sum: &mut IngestSummary,
) -> Result<()> {
    // A known article costs no coding: storing it with no events only records this source as
    // a further mention of it.
    let events = if store.has_article(&article.id)? {
        Vec::new()
    } else {
        pipeline.code(article)
    };
    match store
        .insert_article(article, &events)
        .with_context(|| format!("storing {}", article.source))?
    {
        InsertOutcome::Added => {
            sum.added += 1;
            sum.events += events.len();
        }
        InsertOutcome::AlreadyPresent => sum.present += 1,
    }
    Ok(())
}

/// The reason without its details: "too large: 123 bytes…" → "too large".
fn reason_key(reason: &str) -> String {
    reason.split(':').next().unwrap_or(reason).trim().to_owned()
}

/// Opens the database named by `--db`: a SQLite file path or a `postgres://…` URL.
pub(crate) fn open_store(db: &Path) -> Result<Store> {
    Store::connect(&db.to_string_lossy())
        .with_context(|| format!("opening database {}", db.display()))
}

/// `outpost serve`.
pub fn serve(db: &Path, addr: SocketAddr, token: Option<String>) -> Result<()> {
    if !outpost_store::is_postgres_spec(&db.to_string_lossy()) && !db.exists() {
        bail!(
            "no database at {} — run `outpost ingest --db {} PATH…` or `outpost demo` first",
            db.display(),
            db.display()
        );
    }
    let options = outpost_server::ServeOptions {
        token,
        ..Default::default()
    };
    outpost_server::check_options(addr, &options).context("refusing to start")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr().unwrap_or(addr);
        eprintln!(
            "Outpost is serving {} at http://{local}/ (Ctrl-C to stop)",
            db.display()
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        outpost_server::serve_with(listener, db.to_path_buf(), options, shutdown)
            .await
            .context("serving")
    })
}

/// `outpost demo`.
pub fn demo(db: &Path, addr: SocketAddr, corpus: Option<PathBuf>, no_serve: bool) -> Result<bool> {
    let corpus = match corpus {
        Some(c) => c,
        None => find_bundled_corpus().context(
            "the sample corpus examples/corpus was not found; run from the repository or pass --corpus DIR",
        )?,
    };
    eprintln!(
        "Outpost demo: ingesting {} into {}",
        corpus.display(),
        db.display()
    );
    let sum = ingest(
        &[corpus],
        db,
        &InputOpts {
            max_bytes: outpost_ingest::DEFAULT_MAX_BYTES,
        },
        &DictOpts::default(),
    )?;
    if !no_serve {
        serve(db, addr, None)?;
    }
    Ok(sum.skipped > 0)
}

fn find_bundled_corpus() -> Option<PathBuf> {
    let here = PathBuf::from("examples/corpus");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    built.is_dir().then_some(built)
}

/// `outpost bench corpus`.
pub fn write_corpus(articles: usize, seed: u64, out: &Path) -> Result<()> {
    if out == Path::new("-") {
        let stdout = io::stdout();
        let mut w = io::BufWriter::new(stdout.lock());
        crate::synth::write_jsonl(articles, seed, &mut w).context("writing the corpus")?;
        w.flush().context("writing the corpus")?;
    } else {
        let f =
            std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
        let mut w = io::BufWriter::new(f);
        crate::synth::write_jsonl(articles, seed, &mut w)
            .and_then(|()| w.flush())
            .with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {articles} pages to {}", out.display());
    }
    Ok(())
}

/// Filters of `outpost export`.
pub struct ExportArgs {
    /// From date.
    pub from: Option<chrono::NaiveDate>,
    /// To date.
    pub to: Option<chrono::NaiveDate>,
    /// ISO3 country.
    pub country: Option<String>,
    /// PLOVER type.
    pub plover: Option<String>,
    /// CAMEO root.
    pub cameo_root: Option<String>,
    /// QuadClass.
    pub quad_class: Option<u8>,
    /// Status name.
    pub status: Option<String>,
    /// Full-text query.
    pub query: Option<String>,
    /// Every event mention instead of the aggregated view.
    pub all_mentions: bool,
}

/// `outpost export`.
pub fn export(db: &Path, format: &str, out: &Path, args: ExportArgs) -> Result<()> {
    use outpost_export::{ExportFilter, ExportOptions, Format};
    let format = Format::parse(format).with_context(|| {
        format!("unknown format {format:?}: use gdelt, gdelt-mentions, csv, jsonl or parquet")
    })?;
    if !format.is_available() {
        bail!(
            "this outpost was built without Parquet support; rebuild with `cargo build --release --features parquet`"
        );
    }
    let status = match args.status.as_deref() {
        Some(s) => Some(outpost_core::Status::parse(s).with_context(|| {
            format!("unknown status {s:?}: use occurred, planned, denied, hypothetical or claimed")
        })?),
        None => None,
    };
    if !outpost_store::is_postgres_spec(&db.to_string_lossy()) && !db.exists() {
        bail!("no database at {}", db.display());
    }
    let store = open_store(db)?;
    let filter = ExportFilter {
        from: args.from,
        to: args.to,
        country: args.country.map(|c| c.to_uppercase()),
        plover: args.plover.map(|p| p.to_uppercase()),
        cameo_root: args.cameo_root,
        quad_class: args.quad_class,
        status,
        text: args.query,
        all_mentions: args.all_mentions,
        ..Default::default()
    };
    let gaz = outpost_geo::Gazetteer::builtin().context("loading the gazetteer")?;
    let country_location = |iso3: &str| gaz.country(iso3);
    let opts = ExportOptions {
        country_location: Some(&country_location),
    };
    let summary = if out == Path::new("-") {
        if format == Format::Parquet {
            bail!("parquet is binary: give a file with --out");
        }
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        outpost_export::export_with(&store, &filter, format, &mut lock, &opts)
    } else {
        let mut f =
            std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
        outpost_export::export_with(&store, &filter, format, &mut f, &opts)
    }
    .context("exporting")?;
    eprintln!(
        "exported {} events ({} rows{})",
        summary.events,
        summary.rows,
        if summary.skipped > 0 {
            format!(
                ", {} undated events left out of GDELT output",
                summary.skipped
            )
        } else {
            String::new()
        }
    );
    Ok(())
}

/// `outpost bench extract`.
pub fn bench_extract(
    dir: &Path,
    out: Option<&Path>,
    errors: usize,
    min_f1: Option<f64>,
) -> Result<()> {
    let extractor = outpost_extract::Extractor::new();
    let report = outpost_extract::bench::run(dir, out, &extractor)
        .with_context(|| format!("benchmarking extraction on {}", dir.display()))?;
    out!("{}", report.table(errors));
    if let Some(floor) = min_f1 {
        if report.f1 < floor {
            bail!("extraction F1 {:.4} is below the floor {floor}", report.f1);
        }
        outln!("F1 {:.4} ≥ floor {floor}: ok", report.f1);
    }
    Ok(())
}

/// `outpost bench geo`.
pub fn bench_geo(gold: &Path, gold_spans: bool, errors: usize) -> Result<()> {
    let gaz = outpost_geo::Gazetteer::builtin().context("loading the gazetteer")?;
    let report = outpost_geo::bench::run(gold, &gaz, gold_spans, errors)
        .with_context(|| format!("benchmarking geoparsing on {}", gold.display()))?;
    out!("{report}");
    Ok(())
}
