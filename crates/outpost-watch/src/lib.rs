//! Watch: live monitoring of news feeds, polite fetching and alerts.
//!
//! - [`config`]: the feeds TOML file (`[[feed]]` tables).
//! - [`fetch`]: a polite, bounded HTTP fetcher (conditional GET, per-host limits, robots.txt,
//!   timeouts, body cap, manual redirects, gzip/brotli, retries with backoff and jitter).
//! - [`net`]: address safety (http/https only; no loopback, private, link-local or metadata
//!   addresses unless allowed), checked after DNS resolution and on every redirect.
//! - [`robots`]: a small robots.txt parser.
//! - [`feed`]: RSS, Atom and JSON Feed to article links.
//! - [`watcher`]: the loop that polls feeds on schedule and hands each new page
//!   ([`outpost_core::RawDoc`]) to the caller's pipeline closure on a worker thread.
//! - [`alerts`]: alert rules (TOML and API), evaluation once per episode.
//! - [`deliver`]: alert delivery to stdout and a webhook.
//!
//! All state that must survive a restart (feeds, validators, failures, seen URLs, alert
//! state, fired alerts) is in the database (`outpost_store::watch`).
//!
//! This crate does not extract, code or store articles itself: the caller's `process`
//! closure does (the CLI runs its pipeline there).

pub mod alerts;
pub mod config;
pub mod deliver;
mod error;
pub mod feed;
pub mod fetch;
pub mod net;
pub mod robots;
pub mod watcher;

pub use alerts::{
    AlertRule, AlertsFile, FiredAlert, Metric, Near, Trigger, evaluate_alerts, evaluate_alerts_at,
    load_rules, save_rule,
};
pub use config::{parse_feeds, validate_feed};
pub use deliver::Delivery;
pub use error::{FetchError, WatchError};
pub use fetch::{DEFAULT_USER_AGENT, FetchOptions, Fetched, Fetcher, Validators};
pub use watcher::{Counters, Notice, NoticeSink, WatchConfig, WatchSummary, Watcher, run};
