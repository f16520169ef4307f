//! The watch loop: poll feeds on schedule, fetch new article pages, hand them to the
//! pipeline, evaluate alerts and deliver them, until shut down.
//!
//! Shape of a run ([`Watcher::run`]):
//! - the feeds of the config are added to (or updated in) the database, then the database's
//!   feed list is what is followed (so feeds added by `outpost add-feed` or the API count
//!   too; it is re-read every [`WatchConfig::reload_every`]);
//! - a scheduler polls each feed when due, at most [`WatchConfig::max_concurrent_polls`] at
//!   once. The first poll of each feed in a run is unconditional (no `If-None-Match`), so
//!   links whose processing was interrupted by a stop are picked up again; later polls are
//!   conditional;
//! - a poll parses the feed, asks the database which links are new
//!   ([`outpost_store::Store::unseen_urls`]), fetches those pages and sends each as a
//!   [`RawDoc`] over a bounded channel ([`WatchConfig::queue_depth`]) to ONE blocking worker
//!   thread, which calls the caller's `process` closure (extract → code → store), records the
//!   URL as fetched, and evaluates the alert rules on the events `process` returns;
//! - a feed's validators and schedule are recorded only after its new pages were handed
//!   over; a failed poll counts a failure and backs the feed off exponentially (with jitter,
//!   up to [`WatchConfig::max_backoff`]), and is reported ([`Notice::FeedFailed`]); it is
//!   never dropped, and one success resets it;
//! - fired alerts go to stdout and/or a webhook (see [`crate::deliver`]).
//!
//! On shutdown, polls in progress are abandoned (their pages are fetched again next time,
//! since only processed pages are marked fetched), the pages already queued are processed,
//! and pending alert deliveries are given a few seconds.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use outpost_core::{Event, RawDoc};
use outpost_store::watch::{FeedSpec, FeedState, PollRecord, UrlState, now_ms};
use outpost_store::{Store, StoreError};
use reqwest::Url;
use serde::Serialize;
use tokio::sync::{Semaphore, mpsc};

use crate::alerts::{AlertRule, FiredAlert, evaluate_alerts};
use crate::deliver::{Delivery, deliver_all};
use crate::error::{FetchError, WatchError};
use crate::feed::{FeedItem, parse_feed};
use crate::fetch::{FetchOptions, Fetcher, Validators, backoff};

/// Opens a new connection to the database (called once per run for the watcher's own state).
pub type StoreFactory = Arc<dyn Fn() -> Result<Store, StoreError> + Send + Sync>;

/// Something worth telling the operator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A feed poll failed; the feed is backed off.
    FeedFailed {
        /// The feed's URL.
        url: String,
        /// Consecutive failures.
        failures: u32,
        /// The error.
        error: String,
        /// Seconds until the next try.
        retry_in_secs: u64,
    },
    /// A feed that had failed answered again.
    FeedRecovered {
        /// The feed's URL.
        url: String,
    },
    /// An article page could not be fetched.
    PageFailed {
        /// The page's URL.
        url: String,
        /// The error.
        error: String,
    },
    /// The pipeline refused a fetched page.
    ProcessFailed {
        /// The page's URL.
        url: String,
        /// The error.
        error: String,
    },
    /// An alert fired.
    AlertFired {
        /// The alert.
        alert: FiredAlert,
    },
    /// An alert could not be delivered to the webhook.
    DeliveryFailed {
        /// The alert's id.
        id: i64,
        /// The error.
        error: String,
    },
    /// A rule stored in the database is invalid (it is ignored until fixed).
    RuleInvalid {
        /// The rule's name.
        name: String,
        /// What is wrong.
        error: String,
    },
    /// The database failed (the watcher goes on).
    StoreFailed {
        /// The error.
        error: String,
    },
}

/// Receives notices (default: one line each on stderr).
pub type NoticeSink = Arc<dyn Fn(&Notice) + Send + Sync>;

/// Everything a watch run needs besides the database and the pipeline.
#[derive(Clone)]
pub struct WatchConfig {
    /// Feeds to add to (or update in) the database at start.
    pub feeds: Vec<FeedSpec>,
    /// Fetching behaviour (politeness, limits, safety).
    pub fetch: FetchOptions,
    /// Alert rules from a file. Rules stored in the database (`Store::put_alert_rule`, the
    /// API) are added to these and re-read every [`WatchConfig::reload_every`]; on a name
    /// clash the rule given here wins.
    pub rules: Vec<AlertRule>,
    /// Alert delivery (webhook, stdout).
    pub delivery: Delivery,
    /// Feed polls in progress at once.
    pub max_concurrent_polls: usize,
    /// Fetched pages waiting for the pipeline at most (back-pressure on fetching).
    pub queue_depth: usize,
    /// How often the feed list is re-read from the database.
    pub reload_every: Duration,
    /// Longest backoff of a failing feed.
    pub max_backoff: Duration,
    /// How often the scheduler looks for due feeds.
    pub tick: Duration,
    /// Where notices go; `None` prints them to stderr.
    pub notices: Option<NoticeSink>,
}

impl std::fmt::Debug for WatchConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchConfig")
            .field("feeds", &self.feeds.len())
            .field("fetch", &self.fetch)
            .field("rules", &self.rules.len())
            .field("delivery", &self.delivery)
            .field("max_concurrent_polls", &self.max_concurrent_polls)
            .field("queue_depth", &self.queue_depth)
            .finish_non_exhaustive()
    }
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            feeds: Vec::new(),
            fetch: FetchOptions::default(),
            rules: Vec::new(),
            delivery: Delivery::default(),
            max_concurrent_polls: 64,
            queue_depth: 64,
            reload_every: Duration::from_secs(30),
            max_backoff: Duration::from_secs(6 * 3600),
            tick: Duration::from_millis(100),
            notices: None,
        }
    }
}

/// Counters of a run (live, readable while it runs through [`Watcher::counters`]).
#[derive(Debug, Default)]
pub struct Counters {
    /// Feed polls finished (any outcome).
    pub polls: AtomicU64,
    /// Polls answered `304 Not Modified`.
    pub not_modified: AtomicU64,
    /// Polls that failed.
    pub poll_failures: AtomicU64,
    /// Article pages fetched and queued.
    pub pages_fetched: AtomicU64,
    /// Article pages that failed (to be retried).
    pub pages_failed: AtomicU64,
    /// Article pages skipped on purpose (robots, refused address, too large, media).
    pub pages_skipped: AtomicU64,
    /// Pages the pipeline processed.
    pub processed: AtomicU64,
    /// Pages the pipeline refused.
    pub process_errors: AtomicU64,
    /// Alerts fired.
    pub alerts: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WatchSummary {
    /// Feed polls finished.
    pub polls: u64,
    /// Polls answered 304.
    pub not_modified: u64,
    /// Polls that failed.
    pub poll_failures: u64,
    /// Pages fetched.
    pub pages_fetched: u64,
    /// Pages that failed.
    pub pages_failed: u64,
    /// Pages skipped.
    pub pages_skipped: u64,
    /// Pages processed.
    pub processed: u64,
    /// Pages refused by the pipeline.
    pub process_errors: u64,
    /// Alerts fired.
    pub alerts: u64,
}

impl Counters {
    /// The current values.
    pub fn snapshot(&self) -> WatchSummary {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        WatchSummary {
            polls: g(&self.polls),
            not_modified: g(&self.not_modified),
            poll_failures: g(&self.poll_failures),
            pages_fetched: g(&self.pages_fetched),
            pages_failed: g(&self.pages_failed),
            pages_skipped: g(&self.pages_skipped),
            processed: g(&self.processed),
            process_errors: g(&self.process_errors),
            alerts: g(&self.alerts),
        }
    }
}

fn bump(a: &AtomicU64) {
    a.fetch_add(1, Ordering::Relaxed);
}

/// One fetched page on its way to the pipeline.
struct Job {
    doc: RawDoc,
    /// The URL as listed in the feed (the key of `watch_urls`).
    url: String,
    feed_id: i64,
}

/// The alert rules in force (file rules plus database rules), swapped on reload.
type SharedRules = Arc<std::sync::RwLock<Arc<Vec<AlertRule>>>>;

/// File rules plus the valid database rules whose names are not taken by a file rule.
fn merge_rules(
    file: &[AlertRule],
    stored: Vec<(String, serde_json::Value)>,
    notices: &NoticeSink,
) -> Vec<AlertRule> {
    let mut out = file.to_vec();
    for (name, v) in stored {
        match AlertRule::from_json(v) {
            Ok(r) if out.iter().any(|f| f.name == r.name) => {}
            Ok(r) => out.push(r),
            Err(error) => notices(&Notice::RuleInvalid { name, error }),
        }
    }
    out
}

/// What poll tasks share.
struct Ctx {
    fetcher: Fetcher,
    state: Arc<Mutex<Store>>,
    inflight_urls: Arc<Mutex<HashSet<String>>>,
    /// The file's rules (database rules are merged in on reload).
    file_rules: Vec<AlertRule>,
    rules: SharedRules,
    /// Per feed, the links of its last full answer (a 304 lists the same links, so failed
    /// pages among them are retried without refetching the feed).
    last_links: Mutex<HashMap<i64, Arc<Vec<FeedItem>>>>,
    jobs: mpsc::Sender<Job>,
    counters: Arc<Counters>,
    notices: NoticeSink,
    max_backoff: Duration,
}

/// Runs a closure on the watcher's state store on the blocking pool.
async fn with_store<R: Send + 'static>(
    state: &Arc<Mutex<Store>>,
    f: impl FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, StoreError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut s)
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("store task died: {e}")))?
}

fn default_sink() -> NoticeSink {
    Arc::new(|n: &Notice| match n {
        Notice::AlertFired { .. } => {}
        other => eprintln!(
            "outpost watch: {}",
            serde_json::to_string(other).unwrap_or_default()
        ),
    })
}

/// A feed watcher. Build it with [`Watcher::new`], then [`Watcher::run`] it.
pub struct Watcher {
    config: WatchConfig,
    store_factory: StoreFactory,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// A watcher with this config; `store_factory` opens a database connection (the
    /// watcher opens one for its own state and alerts; `process` uses its own).
    pub fn new(
        config: WatchConfig,
        store_factory: impl Fn() -> Result<Store, StoreError> + Send + Sync + 'static,
    ) -> Watcher {
        Watcher {
            config,
            store_factory: Arc::new(store_factory),
            counters: Arc::new(Counters::default()),
        }
    }

    /// Live counters of this watcher's run.
    pub fn counters(&self) -> Arc<Counters> {
        self.counters.clone()
    }

    /// Watches until `shutdown` completes. `process` runs on one dedicated thread for each
    /// fetched page, in fetch order; it returns the events it stored (used for alerts; empty
    /// when the page held no new article) or a reason the page was refused.
    pub async fn run<P, F>(self, process: P, shutdown: F) -> Result<WatchSummary, WatchError>
    where
        P: FnMut(RawDoc) -> Result<Vec<Event>, String> + Send + 'static,
        F: Future<Output = ()>,
    {
        let Watcher {
            config,
            store_factory,
            counters,
        } = self;
        let notices = config.notices.clone().unwrap_or_else(default_sink);
        let fetcher = Fetcher::new(config.fetch.clone())?;
        // Open the state store and add the configured feeds.
        let feeds = config.feeds.clone();
        let factory = store_factory.clone();
        type Opened = (Store, Vec<(String, serde_json::Value)>);
        let (store, stored_rules) =
            tokio::task::spawn_blocking(move || -> Result<Opened, StoreError> {
                let mut s = factory()?;
                for f in &feeds {
                    s.add_feed(f)?;
                }
                let rules = s.alert_rules()?;
                Ok((s, rules))
            })
            .await
            .map_err(|e| WatchError::Internal(e.to_string()))??;
        let rules: SharedRules = Arc::new(std::sync::RwLock::new(Arc::new(merge_rules(
            &config.rules,
            stored_rules,
            &notices,
        ))));
        let state = Arc::new(Mutex::new(store));
        let inflight_urls = Arc::new(Mutex::new(HashSet::new()));

        let (job_tx, job_rx) = mpsc::channel::<Job>(config.queue_depth.max(1));
        let (alert_tx, alert_rx) = mpsc::unbounded_channel::<FiredAlert>();
        let worker = spawn_worker(
            job_rx,
            process,
            state.clone(),
            inflight_urls.clone(),
            rules.clone(),
            alert_tx,
            counters.clone(),
            notices.clone(),
        )?;
        let delivery = tokio::spawn(deliver_all(
            alert_rx,
            config.delivery.clone(),
            state.clone(),
            notices.clone(),
        ));

        let ctx = Arc::new(Ctx {
            fetcher,
            state: state.clone(),
            inflight_urls,
            file_rules: config.rules.clone(),
            rules,
            last_links: Mutex::new(HashMap::new()),
            jobs: job_tx,
            counters: counters.clone(),
            notices: notices.clone(),
            max_backoff: config.max_backoff,
        });
        schedule(&ctx, &config, shutdown).await;
        // Stop: dropping the context drops the last job sender once the poll tasks are gone.
        drop(ctx);
        let joined = tokio::task::spawn_blocking(move || worker.join())
            .await
            .map_err(|e| WatchError::Internal(e.to_string()))?;
        if joined.is_err() {
            return Err(WatchError::Internal("the pipeline thread panicked".into()));
        }
        // The worker dropped the alert sender: delivery ends after the last alert.
        let _ = tokio::time::timeout(Duration::from_secs(15), delivery).await;
        // Close the database off the async threads (the sync PostgreSQL client blocks).
        let _ = tokio::task::spawn_blocking(move || drop(state)).await;
        Ok(counters.snapshot())
    }
}

/// Watches until `shutdown` completes: a shortcut for [`Watcher::new`] + [`Watcher::run`].
pub async fn run<P, F>(
    config: WatchConfig,
    store_factory: impl Fn() -> Result<Store, StoreError> + Send + Sync + 'static,
    process: P,
    shutdown: F,
) -> Result<WatchSummary, WatchError>
where
    P: FnMut(RawDoc) -> Result<Vec<Event>, String> + Send + 'static,
    F: Future<Output = ()>,
{
    Watcher::new(config, store_factory)
        .run(process, shutdown)
        .await
}

#[allow(clippy::too_many_arguments)]
fn spawn_worker<P>(
    mut jobs: mpsc::Receiver<Job>,
    mut process: P,
    state: Arc<Mutex<Store>>,
    inflight: Arc<Mutex<HashSet<String>>>,
    rules: SharedRules,
    alerts: mpsc::UnboundedSender<FiredAlert>,
    counters: Arc<Counters>,
    notices: NoticeSink,
) -> Result<std::thread::JoinHandle<()>, WatchError>
where
    P: FnMut(RawDoc) -> Result<Vec<Event>, String> + Send + 'static,
{
    std::thread::Builder::new()
        .name("outpost-watch-pipeline".into())
        .spawn(move || {
            while let Some(job) = jobs.blocking_recv() {
                let outcome = process(job.doc);
                let mut store = state.lock().unwrap_or_else(PoisonError::into_inner);
                let recorded = match &outcome {
                    Ok(events) => {
                        bump(&counters.processed);
                        let rules = rules
                            .read()
                            .map(|r| r.clone())
                            .unwrap_or_else(|p| p.into_inner().clone());
                        if !rules.is_empty() && !events.is_empty() {
                            match evaluate_alerts(&mut store, &rules, events) {
                                Ok(fired) => {
                                    for a in fired {
                                        bump(&counters.alerts);
                                        notices(&Notice::AlertFired { alert: a.clone() });
                                        let _ = alerts.send(a);
                                    }
                                }
                                Err(e) => notices(&Notice::StoreFailed {
                                    error: e.to_string(),
                                }),
                            }
                        }
                        store.record_url(&job.url, Some(job.feed_id), UrlState::Fetched, None)
                    }
                    Err(reason) => {
                        bump(&counters.process_errors);
                        notices(&Notice::ProcessFailed {
                            url: job.url.clone(),
                            error: reason.clone(),
                        });
                        store.record_url(
                            &job.url,
                            Some(job.feed_id),
                            UrlState::Skipped,
                            Some(reason),
                        )
                    }
                };
                drop(store);
                if let Err(e) = recorded {
                    notices(&Notice::StoreFailed {
                        error: e.to_string(),
                    });
                }
                inflight
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&job.url);
            }
        })
        .map_err(|e| WatchError::Internal(format!("cannot start the pipeline thread: {e}")))
}

/// When a Unix-ms time is, as an `Instant` (past times are now).
fn instant_of(ms: Option<i64>) -> Instant {
    let now = Instant::now();
    match ms {
        Some(ms) => {
            let ahead = ms.saturating_sub(now_ms());
            if ahead > 0 {
                now + Duration::from_millis(ahead.unsigned_abs())
            } else {
                now
            }
        }
        None => now,
    }
}

/// The scheduler: polls due feeds until `shutdown`.
async fn schedule(ctx: &Arc<Ctx>, config: &WatchConfig, shutdown: impl Future<Output = ()>) {
    tokio::pin!(shutdown);
    let slots = Arc::new(Semaphore::new(config.max_concurrent_polls.max(1)));
    // feed id → (feed, when due)
    let mut feeds: HashMap<i64, (FeedState, Instant)> = HashMap::new();
    let mut inflight: HashSet<i64> = HashSet::new();
    let mut polled_once: HashSet<i64> = HashSet::new();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(i64, FeedState)>();
    let mut tasks = tokio::task::JoinSet::new();
    let mut tick = tokio::time::interval(config.tick.max(Duration::from_millis(10)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut next_reload = Instant::now();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            Some((id, updated)) = done_rx.recv() => {
                inflight.remove(&id);
                if let Some(entry) = feeds.get_mut(&id) {
                    let due = instant_of(updated.next_poll_at);
                    *entry = (updated, due);
                }
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            _ = tick.tick() => {
                // The pipeline thread is gone (its closure panicked): stop rather than fetch
                // pages nobody will process.
                if ctx.jobs.is_closed() {
                    break;
                }
                if Instant::now() >= next_reload {
                    next_reload = Instant::now() + config.reload_every;
                    match with_store(&ctx.state, |s| s.alert_rules()).await {
                        Ok(stored) => {
                            let merged = Arc::new(merge_rules(&ctx.file_rules, stored, &ctx.notices));
                            match ctx.rules.write() {
                                Ok(mut r) => *r = merged,
                                Err(p) => *p.into_inner() = merged,
                            }
                        }
                        Err(e) => (ctx.notices)(&Notice::StoreFailed { error: e.to_string() }),
                    }
                    match with_store(&ctx.state, |s| s.feeds()).await {
                        Ok(list) => {
                            let ids: HashSet<i64> = list.iter().map(|f| f.id).collect();
                            feeds.retain(|id, _| ids.contains(id));
                            for f in list {
                                match feeds.get_mut(&f.id) {
                                    // Known: take new settings, keep our schedule.
                                    Some((known, _)) => {
                                        known.interval_secs = f.interval_secs;
                                        known.name = f.name;
                                        known.language = f.language;
                                    }
                                    None => {
                                        // New this run: poll now (the first poll of a run is
                                        // unconditional), or when its backoff ends.
                                        let due = if f.failures > 0 {
                                            instant_of(f.next_poll_at)
                                        } else {
                                            Instant::now()
                                        };
                                        feeds.insert(f.id, (f, due));
                                    }
                                }
                            }
                        }
                        Err(e) => (ctx.notices)(&Notice::StoreFailed { error: e.to_string() }),
                    }
                }
                let now = Instant::now();
                let mut due: Vec<(Instant, i64)> = feeds
                    .iter()
                    .filter(|(id, (_, at))| *at <= now && !inflight.contains(id))
                    .map(|(id, (_, at))| (*at, *id))
                    .collect();
                due.sort();
                for (_, id) in due {
                    let Ok(permit) = slots.clone().try_acquire_owned() else { break };
                    let Some((feed, _)) = feeds.get(&id) else { continue };
                    inflight.insert(id);
                    let conditional = !polled_once.insert(id);
                    let feed = feed.clone();
                    let ctx = ctx.clone();
                    let done = done_tx.clone();
                    tasks.spawn(async move {
                        let updated = poll_feed(&ctx, feed, conditional).await;
                        let _ = done.send((updated.id, updated));
                        drop(permit);
                    });
                }
            }
        }
    }
    tasks.shutdown().await;
}

/// Polls one feed and fetches its new pages; returns the feed's updated state.
async fn poll_feed(ctx: &Arc<Ctx>, mut feed: FeedState, conditional: bool) -> FeedState {
    let validators = Validators {
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let interval = Duration::from_secs(u64::from(feed.interval_secs.max(1)));
    // The interval runs from the start of this poll, so the time spent fetching its pages
    // does not push every later poll back (an item waits at most one interval).
    let started = now_ms();
    let result = ctx
        .fetcher
        .get(&feed.url, conditional.then_some(&validators), true)
        .await;
    bump(&ctx.counters.polls);
    let outcome: Result<(PollRecord, Arc<Vec<FeedItem>>), String> = match result {
        Ok(f) if f.not_modified => {
            bump(&ctx.counters.not_modified);
            let links = ctx
                .last_links
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&feed.id)
                .cloned()
                .unwrap_or_default();
            Ok((
                PollRecord {
                    ok: true,
                    ..PollRecord::default()
                },
                links,
            ))
        }
        Ok(f) => match parse_feed(&f.body, &f.url) {
            Ok(items) => Ok((
                PollRecord {
                    ok: true,
                    replace_validators: true,
                    etag: f.validators.etag.clone(),
                    last_modified: f.validators.last_modified.clone(),
                    ..PollRecord::default()
                },
                {
                    let items = Arc::new(items);
                    ctx.last_links
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(feed.id, items.clone());
                    items
                },
            )),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    };
    let mut record = match outcome {
        Ok((mut record, items)) => {
            let dates: HashMap<String, chrono::NaiveDate> = items
                .iter()
                .filter_map(|i| i.published.map(|d| (i.url.clone(), d)))
                .collect();
            let links: Vec<String> = items.iter().map(|i| i.url.clone()).collect();
            let new = fetch_new_pages(ctx, &feed, links, &dates).await;
            record.new_items = new;
            record.next_poll_at = started + ms(interval);
            if feed.failures > 0 {
                (ctx.notices)(&Notice::FeedRecovered {
                    url: feed.url.clone(),
                });
            }
            feed.failures = 0;
            feed.last_error = None;
            if record.replace_validators {
                feed.etag = record.etag.clone();
                feed.last_modified = record.last_modified.clone();
            }
            record
        }
        Err(error) => {
            bump(&ctx.counters.poll_failures);
            feed.failures = feed.failures.saturating_add(1);
            let wait = backoff(interval, feed.failures - 1, ctx.max_backoff.max(interval));
            (ctx.notices)(&Notice::FeedFailed {
                url: feed.url.clone(),
                failures: feed.failures,
                error: error.clone(),
                retry_in_secs: wait.as_secs(),
            });
            feed.last_error = Some(error.clone());
            PollRecord {
                ok: false,
                error: Some(error),
                next_poll_at: now_ms() + ms(wait),
                ..PollRecord::default()
            }
        }
    };
    feed.next_poll_at = Some(record.next_poll_at);
    let id = feed.id;
    record.error = record.error.map(|e| e.replace('\0', ""));
    if let Err(e) = with_store(&ctx.state, move |s| s.record_poll(id, &record)).await {
        (ctx.notices)(&Notice::StoreFailed {
            error: e.to_string(),
        });
    }
    feed
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

/// Fetches the links not seen before and queues them for the pipeline; returns how many
/// were new.
async fn fetch_new_pages(
    ctx: &Arc<Ctx>,
    feed: &FeedState,
    links: Vec<String>,
    dates: &HashMap<String, chrono::NaiveDate>,
) -> u64 {
    if links.is_empty() {
        return 0;
    }
    let unseen = match with_store(&ctx.state, move |s| s.unseen_urls(&links)).await {
        Ok(u) => u,
        Err(e) => {
            (ctx.notices)(&Notice::StoreFailed {
                error: e.to_string(),
            });
            return 0;
        }
    };
    let mut new = 0;
    for url in unseen {
        // Not while an earlier poll's copy is still queued or being processed.
        if !ctx
            .inflight_urls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(url.clone())
        {
            continue;
        }
        new += 1;
        let release = |ctx: &Arc<Ctx>, url: &str| {
            ctx.inflight_urls
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(url);
        };
        match ctx.fetcher.get(&url, None, true).await {
            Ok(page) if is_media(page.content_type.as_deref()) => {
                bump(&ctx.counters.pages_skipped);
                let detail = format!(
                    "not a page: {}",
                    page.content_type.as_deref().unwrap_or("?")
                );
                record(ctx, &url, feed.id, UrlState::Skipped, Some(detail)).await;
                release(ctx, &url);
            }
            Ok(page) => {
                bump(&ctx.counters.pages_fetched);
                let final_url: Url = page.url;
                let doc = RawDoc {
                    source: final_url.to_string(),
                    url: Some(final_url.to_string()),
                    date: dates.get(&url).copied(),
                    content_type: page.content_type,
                    bytes: page.body,
                };
                let job = Job {
                    doc,
                    url: url.clone(),
                    feed_id: feed.id,
                };
                if ctx.jobs.send(job).await.is_err() {
                    release(ctx, &url);
                    return new;
                }
            }
            Err(e) => {
                let state = match e {
                    FetchError::Robots
                    | FetchError::Refused(_)
                    | FetchError::TooLarge(_)
                    | FetchError::Redirect(_) => {
                        bump(&ctx.counters.pages_skipped);
                        UrlState::Skipped
                    }
                    _ => {
                        bump(&ctx.counters.pages_failed);
                        (ctx.notices)(&Notice::PageFailed {
                            url: url.clone(),
                            error: e.to_string(),
                        });
                        UrlState::Failed
                    }
                };
                record(ctx, &url, feed.id, state, Some(e.to_string())).await;
                release(ctx, &url);
            }
        }
    }
    new
}

async fn record(ctx: &Arc<Ctx>, url: &str, feed_id: i64, state: UrlState, detail: Option<String>) {
    let url = url.to_owned();
    if let Err(e) = with_store(&ctx.state, move |s| {
        s.record_url(&url, Some(feed_id), state, detail.as_deref())
    })
    .await
    {
        (ctx.notices)(&Notice::StoreFailed {
            error: e.to_string(),
        });
    }
}

/// Media types that are never article pages.
fn is_media(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let ct = ct.trim().to_ascii_lowercase();
    ["image/", "audio/", "video/", "font/"]
        .iter()
        .any(|p| ct.starts_with(p))
}
