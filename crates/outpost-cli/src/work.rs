//! Distributed work: `outpost enqueue` and `outpost worker`.
//!
//! The queue lives in the database (see outpost-store's queue): any number of workers, on any
//! hosts sharing one PostgreSQL database, claim items, process them and mark them done or
//! failed. A worker that dies leaves its item to be reclaimed once its lease expires; because
//! each article commits in its own transaction and re-storing an article adds nothing, a
//! reclaimed item is simply processed again without duplicates.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use outpost_ingest::{IngestOptions, Item};
use outpost_store::Store;

use crate::commands::{IngestSummary, open_store, store_article};
use crate::pipeline::{DictFiles, Pipeline};

/// `outpost enqueue`: queues every file under `inputs`. Returns (new, already queued).
pub fn enqueue(db: &Path, inputs: &[PathBuf]) -> Result<(usize, usize)> {
    let mut items = Vec::new();
    for p in inputs {
        let s = p.to_string_lossy();
        if s.starts_with("http://") || s.starts_with("https://") {
            bail!(
                "{s}: URL work items need the fetcher of `outpost watch`, which is not built yet; \
                 download the pages and enqueue the files"
            );
        }
    }
    for f in outpost_ingest::list_files(inputs)? {
        // Absolute paths, so that workers started elsewhere on a shared filesystem find them.
        let abs = std::fs::canonicalize(&f.path)
            .with_context(|| format!("{}: cannot resolve path", f.path.display()))?;
        items.push(abs.to_string_lossy().into_owned());
    }
    let mut store = open_store(db)?;
    let added = store.enqueue(&items).context("queueing work items")?;
    Ok((added, items.len() - added))
}

/// Options of `outpost worker`.
pub struct WorkerOpts {
    /// The worker's name in the queue (default host:pid).
    pub name: Option<String>,
    /// How long a claimed item stays ours without a heartbeat.
    pub lease: Duration,
    /// Stop when the queue is empty instead of polling for more.
    pub exit_when_empty: bool,
    /// How often to look for work when the queue is empty.
    pub poll: Duration,
    /// Cap on one input record.
    pub max_bytes: u64,
}

/// `outpost worker`: processes queue items until the queue is empty (with
/// `exit_when_empty`) or forever. Returns the totals.
pub fn worker(db: &Path, opts: &WorkerOpts, dicts: &DictFiles) -> Result<IngestSummary> {
    let name = opts.name.clone().unwrap_or_else(default_name);
    let pipeline = Pipeline::load(opts.max_bytes, dicts)?;
    let mut store = open_store(db)?;
    // Commits need not wait for the disk: an item lost with a database crash is redone (see
    // `Store::set_queue_commits`).
    store
        .set_queue_commits()
        .context("setting up the worker's connection")?;
    let mut sum = IngestSummary::default();
    let mut items = 0usize;
    eprintln!("worker {name}: waiting for work in {}", db.display());
    loop {
        let Some(item) = store.claim(&name, opts.lease).context("claiming work")? else {
            if opts.exit_when_empty {
                break;
            }
            std::thread::sleep(opts.poll);
            continue;
        };
        items += 1;
        let path = PathBuf::from(&item.item);
        match process_file(&pipeline, &mut store, &path, &name, item.id, opts, &mut sum) {
            Ok(()) => store
                .complete(item.id, &name)
                .context("marking an item done")?,
            Err(e) => {
                let reason = format!("{e:#}");
                eprintln!("worker {name}: {} failed: {reason}", item.item);
                store
                    .fail(item.id, &name, &reason)
                    .context("marking an item failed")?;
            }
        }
    }
    eprintln!(
        "worker {name}: {items} items, {} articles added, {} already present, {} events, {} inputs skipped",
        sum.added, sum.present, sum.events, sum.skipped
    );
    Ok(sum)
}

fn process_file(
    pipeline: &Pipeline,
    store: &mut Store,
    path: &Path,
    name: &str,
    id: i64,
    opts: &WorkerOpts,
    sum: &mut IngestSummary,
) -> Result<()> {
    if !path.exists() {
        bail!("{}: no such file on this host", path.display());
    }
    let iopts = IngestOptions {
        max_bytes: opts.max_bytes,
    };
    let mut failure: Option<anyhow::Error> = None;
    let mut last_beat = Instant::now();
    outpost_ingest::read_file(path, &iopts, &mut |item, _| {
        if failure.is_some() {
            return;
        }
        let step = || -> Result<()> {
            match item {
                Item::Doc(raw) => match pipeline.extract(&raw) {
                    Ok(article) => store_article(pipeline, store, &article, sum)?,
                    Err(e) => skip(store, sum, &raw.source, &e.to_string())?,
                },
                Item::Skip { source, reason } => skip(store, sum, &source, &reason)?,
            }
            if last_beat.elapsed() > opts.lease / 3 {
                store.heartbeat(id, name, opts.lease)?;
                last_beat = Instant::now();
            }
            Ok(())
        };
        if let Err(e) = step() {
            failure = Some(e);
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn skip(store: &mut Store, sum: &mut IngestSummary, source: &str, reason: &str) -> Result<()> {
    eprintln!("skipped {source}: {reason}");
    store.record_skip(source, reason)?;
    sum.skipped += 1;
    Ok(())
}

fn default_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_owned());
    format!("{host}:{}", std::process::id())
}
