//! Live monitoring: `outpost watch` and `outpost add-feed`, over outpost-watch.

use std::path::Path;

use anyhow::{Context, Result, bail};
use outpost_core::{Event, RawDoc};
use outpost_store::InsertOutcome;
use outpost_store::watch::FeedSpec;

use crate::commands::open_store;
use crate::pipeline::{DictFiles, Pipeline};

/// `outpost add-feed`.
pub fn add_feed(
    db: &Path,
    url: String,
    name: Option<String>,
    interval: u32,
    language: Option<String>,
) -> Result<()> {
    let spec = FeedSpec {
        url: url.trim().to_owned(),
        name,
        interval_secs: interval.max(1),
        language,
    };
    // The same checks as the API's (scheme, host, no credentials, sizes, language code).
    if let Err(e) = outpost_watch::validate_feed(&spec) {
        bail!("{url}: {e}");
    }
    let mut store = open_store(db)?;
    store.add_feed(&spec).context("adding the feed")?;
    eprintln!("following {url} every {}s", spec.interval_secs);
    Ok(())
}

/// `outpost watch`.
pub fn watch(
    db: &Path,
    feeds: Option<&Path>,
    alerts: Option<&Path>,
    allow_private: bool,
    user_agent: Option<String>,
    dicts: &DictFiles,
) -> Result<()> {
    let mut cfg = outpost_watch::WatchConfig::default();
    if let Some(f) = feeds {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        cfg.feeds = outpost_watch::parse_feeds(&text, &f.display().to_string())?;
    }
    if let Some(a) = alerts {
        let text =
            std::fs::read_to_string(a).with_context(|| format!("reading {}", a.display()))?;
        let file = outpost_watch::load_rules(&text, &a.display().to_string())?;
        cfg.rules = file.alert;
        cfg.delivery.webhook = file.webhook;
        cfg.delivery.stdout = file.stdout;
    }
    cfg.fetch.allow_private = allow_private;
    if let Some(ua) = user_agent {
        cfg.fetch.user_agent = ua;
    }
    let pipeline = Pipeline::load(outpost_ingest::DEFAULT_MAX_BYTES, dicts)?;
    let mut store = open_store(db)?;
    let known = store.feeds().context("reading the followed feeds")?.len();
    if cfg.feeds.is_empty() && known == 0 {
        bail!("no feeds to follow: pass --feeds FILE or add some with `outpost add-feed URL`");
    }
    let spec = db.to_string_lossy().into_owned();
    let process = move |raw: RawDoc| -> Result<Vec<Event>, String> {
        let article = pipeline.extract(&raw).map_err(|e| e.to_string())?;
        let events = if store.has_article(&article.id).map_err(|e| e.to_string())? {
            Vec::new()
        } else {
            pipeline.code(&article)
        };
        match store
            .insert_article(&article, &events)
            .map_err(|e| e.to_string())?
        {
            InsertOutcome::Added => Ok(events),
            InsertOutcome::AlreadyPresent => Ok(Vec::new()),
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    eprintln!(
        "watching {} feeds from the file and {known} from the database (Ctrl-C to stop)",
        cfg.feeds.len()
    );
    let summary = rt.block_on(async move {
        let shutdown = async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = async {
                    match term.as_mut() {
                        Some(t) => { t.recv().await; }
                        None => std::future::pending::<()>().await,
                    }
                } => {},
            }
        };
        outpost_watch::run(
            cfg,
            move || outpost_store::Store::connect(&spec),
            process,
            shutdown,
        )
        .await
    })?;
    eprintln!("stopped: {summary:?}");
    Ok(())
}
