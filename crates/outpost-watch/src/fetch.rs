//! Polite, bounded HTTP fetching.
//!
//! [`Fetcher::get`] fetches one URL and:
//! - sends a clear `User-Agent` and, when given, `If-None-Match` / `If-Modified-Since`
//!   (a `304 Not Modified` comes back as [`Fetched::not_modified`]);
//! - checks every URL, the first and each redirect hop, with [`crate::net::check_url`], and
//!   resolves host names through [`crate::net::SafeResolver`]; redirects are followed by hand,
//!   at most [`FetchOptions::max_redirects`] of them;
//! - obeys robots.txt ([`crate::robots`]; fetched once per origin and cached) when asked,
//!   for the URL and for every redirect hop;
//! - limits each host to [`FetchOptions::per_host_concurrency`] requests at once and spaces
//!   request starts by [`FetchOptions::per_host_interval`] after a short burst of
//!   [`FetchOptions::per_host_burst`] (so a feed's few new pages arrive together), or strictly
//!   by the site's `Crawl-delay` (up to [`MAX_CRAWL_DELAY`]) when that is longer;
//! - times out ([`FetchOptions::timeout`]), caps the body *after* gzip/brotli decoding at
//!   [`FetchOptions::max_body_bytes`] (so a compression bomb stops early);
//! - retries transient failures (network, timeout, 5xx, 429) up to
//!   [`FetchOptions::retries`] times with exponential backoff and random jitter.
//!
//! It does not parse what it fetches and keeps no state across restarts (the watcher stores
//! validators and seen URLs in the database).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    LOCATION,
};
use reqwest::{Client, StatusCode, Url};
use tokio::sync::Semaphore;

use crate::error::{FetchError, WatchError};
use crate::net::{REFUSED_MARK, SafeResolver, check_url};
use crate::robots::Robots;

/// The default `User-Agent`: product token, version and what the bot is. Operators should add
/// a contact (`outpost watch --user-agent "Outpost/0.1 (+mailto:desk@example.org)"`).
pub const DEFAULT_USER_AGENT: &str = concat!(
    "Outpost/",
    env!("CARGO_PKG_VERSION_MAJOR"),
    ".",
    env!("CARGO_PKG_VERSION_MINOR"),
    " (self-hosted news event monitor)"
);

/// The robots.txt product token matched against `User-agent` lines.
pub const ROBOTS_AGENT: &str = "outpost";

/// The longest `Crawl-delay` honoured (a larger one is cut to this).
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// How long a robots.txt is cached; failures to get one are cached for a minute.
pub const ROBOTS_TTL: Duration = Duration::from_secs(3600);
const ROBOTS_ERROR_TTL: Duration = Duration::from_secs(60);

/// How the fetcher behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Allow loopback, private and link-local addresses (intranet use, tests).
    pub allow_private: bool,
    /// Addresses allowed even when private ones are not (e.g. one intranet news server).
    pub allowed_ips: Vec<std::net::IpAddr>,
    /// Whole-request timeout (connect, headers and body), per attempt.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_body_bytes: u64,
    /// Most redirects followed.
    pub max_redirects: u32,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// Base of the exponential backoff between attempts (doubled each time, plus jitter of
    /// up to the same amount).
    pub retry_base: Duration,
    /// Requests in flight to one host at most.
    pub per_host_concurrency: usize,
    /// Minimum time between the starts of two requests to one host, on average.
    pub per_host_interval: Duration,
    /// Requests to one host that may start back to back before the spacing applies (a
    /// token bucket refilled at one per `per_host_interval`; 1 = strict spacing). A site
    /// with a `Crawl-delay` is always spaced strictly.
    pub per_host_burst: u32,
    /// Obey robots.txt.
    pub respect_robots: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            allow_private: false,
            allowed_ips: Vec::new(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 5 * 1024 * 1024,
            max_redirects: 5,
            retries: 2,
            retry_base: Duration::from_millis(500),
            per_host_concurrency: 2,
            per_host_interval: Duration::from_secs(1),
            per_host_burst: 3,
            respect_robots: true,
        }
    }
}

/// Validators for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// A successful fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: Url,
    /// The final status (200…299, or 304).
    pub status: u16,
    /// True for `304 Not Modified` (body empty).
    pub not_modified: bool,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// Validators of this answer.
    pub validators: Validators,
    /// The decoded body.
    pub body: Vec<u8>,
}

/// Per-host politeness: a concurrency cap and a minimum spacing of request starts.
#[derive(Debug)]
struct HostGate {
    slots: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
}

/// A polite HTTP fetcher (cheap to share behind an `Arc`).
#[derive(Debug)]
pub struct Fetcher {
    client: Client,
    opts: FetchOptions,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    /// Per origin: the cached rules (until when) behind an async lock, so concurrent
    /// requests to one site fetch robots.txt once.
    robots: Mutex<HashMap<String, RobotsSlot>>,
}

type RobotsSlot = Arc<tokio::sync::Mutex<Option<(Instant, Arc<Robots>)>>>;

/// A random number (std's randomly keyed hasher; no extra crate).
pub(crate) fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(Instant::now().elapsed().as_nanos() as u64);
    h.finish()
}

/// `base × 2^attempt` plus a random jitter in `[0, base × 2^attempt)`, capped at `cap`.
pub fn backoff(base: Duration, attempt: u32, cap: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16));
    let exp = exp.min(cap);
    let ms = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX).max(1);
    (exp + Duration::from_millis(random_u64() % ms)).min(cap)
}

fn header(h: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn classify(e: &reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    let mut msg = e.to_string();
    let mut cur = std::error::Error::source(e);
    while let Some(c) = cur {
        let m = c.to_string();
        if m.contains(REFUSED_MARK) {
            return FetchError::Refused(m.replace(&format!("{REFUSED_MARK}: "), ""));
        }
        if !msg.contains(&m) {
            msg.push_str(": ");
            msg.push_str(&m);
        }
        cur = c.source();
    }
    FetchError::Network(msg)
}

impl Fetcher {
    /// A fetcher with these options.
    pub fn new(opts: FetchOptions) -> Result<Fetcher, WatchError> {
        let client = Client::builder()
            .user_agent(opts.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(opts.timeout)
            .connect_timeout(opts.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(opts.per_host_concurrency.max(1))
            .dns_resolver(Arc::new(SafeResolver {
                allow_private: opts.allow_private,
                allowed_ips: opts.allowed_ips.clone(),
            }))
            .build()
            .map_err(|e| WatchError::Client(e.to_string()))?;
        Ok(Fetcher {
            client,
            opts,
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        })
    }

    /// The options in force.
    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        hosts
            .entry(host.to_owned())
            .or_insert_with(|| {
                Arc::new(HostGate {
                    slots: Semaphore::new(self.opts.per_host_concurrency.max(1)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Fetches `url` (GET), with retries. `robots`: check robots.txt first.
    pub async fn get(
        &self,
        url: &str,
        validators: Option<&Validators>,
        robots: bool,
    ) -> Result<Fetched, FetchError> {
        let url = Url::parse(url).map_err(|e| FetchError::Refused(format!("bad URL: {e}")))?;
        check_url(&url, self.opts.allow_private, &self.opts.allowed_ips)?;
        if robots && self.opts.respect_robots && !self.robots_allow(&url).await {
            return Err(FetchError::Robots);
        }
        let mut attempt = 0;
        loop {
            match self.get_once(url.clone(), validators, robots).await {
                Err(e) if e.is_transient() && attempt < self.opts.retries => {
                    tokio::time::sleep(backoff(
                        self.opts.retry_base,
                        attempt,
                        Duration::from_secs(60),
                    ))
                    .await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// One attempt: follows redirects by hand, checking each hop.
    async fn get_once(
        &self,
        mut url: Url,
        validators: Option<&Validators>,
        robots: bool,
    ) -> Result<Fetched, FetchError> {
        let mut hops = 0;
        loop {
            check_url(&url, self.opts.allow_private, &self.opts.allowed_ips)?;
            // A redirect to another page is checked against robots.txt too.
            if hops > 0 && robots && self.opts.respect_robots && !self.robots_allow(&url).await {
                return Err(FetchError::Robots);
            }
            let host = url.host_str().unwrap_or("").to_ascii_lowercase();
            let gate = self.gate(&host);
            let _slot = gate
                .slots
                .acquire()
                .await
                .map_err(|_| FetchError::Network("host gate closed".into()))?;
            {
                // `next` is the bucket's theoretical arrival time (GCRA): a request may start
                // once it is at most (burst - 1) spacings ahead of now.
                let mut next = gate.next_start.lock().await;
                let spacing = self.spacing(&url);
                let burst = if spacing > self.opts.per_host_interval {
                    1
                } else {
                    self.opts.per_host_burst.max(1)
                };
                let allowed = next
                    .checked_sub(spacing.saturating_mul(burst - 1))
                    .unwrap_or_else(Instant::now);
                if allowed > Instant::now() {
                    tokio::time::sleep_until(allowed.into()).await;
                }
                *next = Instant::now().max(*next) + spacing;
            }
            let mut req = self.client.get(url.clone());
            if let Some(v) = validators {
                if let Some(e) = &v.etag {
                    req = req.header(IF_NONE_MATCH, e);
                }
                if let Some(m) = &v.last_modified {
                    req = req.header(IF_MODIFIED_SINCE, m);
                }
            }
            let mut resp = req.send().await.map_err(|e| classify(&e))?;
            let status = resp.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let loc = header(resp.headers(), LOCATION)
                    .ok_or_else(|| FetchError::Redirect(format!("{status} without Location")))?;
                hops += 1;
                if hops > self.opts.max_redirects {
                    return Err(FetchError::Redirect(format!(
                        "more than {} redirects",
                        self.opts.max_redirects
                    )));
                }
                url = url
                    .join(&loc)
                    .map_err(|e| FetchError::Redirect(format!("bad Location {loc:?}: {e}")))?;
                continue;
            }
            let validators = Validators {
                etag: header(resp.headers(), ETAG),
                last_modified: header(resp.headers(), LAST_MODIFIED),
            };
            let content_type = header(resp.headers(), CONTENT_TYPE);
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched {
                    url,
                    status: 304,
                    not_modified: true,
                    content_type,
                    validators,
                    body: Vec::new(),
                });
            }
            if !status.is_success() {
                return Err(FetchError::Status(status.as_u16()));
            }
            let cap = self.opts.max_body_bytes;
            // A declared length over the cap is refused before reading (only trusted when the
            // body is not compressed: then it is the decoded length).
            if let Some(n) =
                header(resp.headers(), CONTENT_LENGTH).and_then(|s| s.parse::<u64>().ok())
                && n > cap
                && resp
                    .headers()
                    .get(reqwest::header::CONTENT_ENCODING)
                    .is_none()
            {
                return Err(FetchError::TooLarge(cap));
            }
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(FetchError::TooLarge(cap));
                }
                body.extend_from_slice(&chunk);
            }
            return Ok(Fetched {
                url,
                status: status.as_u16(),
                not_modified: false,
                content_type,
                validators,
                body,
            });
        }
    }

    /// Spacing between request starts to this URL's host: the configured interval, or the
    /// site's (cached) crawl delay when longer.
    fn spacing(&self, url: &Url) -> Duration {
        let slot = self
            .robots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&origin(url))
            .cloned();
        // A slot being filled right now (robots.txt on its way) counts as no delay.
        let delay = slot
            .and_then(|s| {
                s.try_lock()
                    .ok()
                    .and_then(|g| g.as_ref().and_then(|(_, r)| r.crawl_delay))
            })
            .map(|d| Duration::from_secs_f64(d).min(MAX_CRAWL_DELAY))
            .unwrap_or_default();
        if self.opts.respect_robots {
            self.opts.per_host_interval.max(delay)
        } else {
            self.opts.per_host_interval
        }
    }

    /// Whether robots.txt of the URL's origin allows it (fetching robots.txt when not cached;
    /// concurrent callers for one origin wait for that one fetch).
    pub async fn robots_allow(&self, url: &Url) -> bool {
        let slot = self
            .robots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(origin(url))
            .or_default()
            .clone();
        let mut cached = slot.lock().await;
        let rules = match cached.as_ref().filter(|(until, _)| *until > Instant::now()) {
            Some((_, r)) => r.clone(),
            None => {
                let (rules, ttl) = self.load_robots(url).await;
                let rules = Arc::new(rules);
                *cached = Some((Instant::now() + ttl, rules.clone()));
                rules
            }
        };
        drop(cached);
        let mut path = url.path().to_owned();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        rules.allowed(&path)
    }

    async fn load_robots(&self, url: &Url) -> (Robots, Duration) {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        match Box::pin(self.get_once(robots_url, None, false)).await {
            Ok(f) => (
                Robots::parse(&String::from_utf8_lossy(&f.body), ROBOTS_AGENT),
                ROBOTS_TTL,
            ),
            // 4xx: no usable robots.txt, everything allowed (RFC 9309 §2.3.1.3).
            Err(FetchError::Status(s)) if (400..500).contains(&s) => {
                (Robots::allow_all(), ROBOTS_TTL)
            }
            // Too large or a redirect loop: treat as no rules.
            Err(FetchError::TooLarge(_) | FetchError::Redirect(_)) => {
                (Robots::allow_all(), ROBOTS_TTL)
            }
            // 5xx or unreachable: assume complete disallow for a while (§2.3.1.4).
            Err(_) => (Robots::disallow_all(), ROBOTS_ERROR_TTL),
        }
    }
}

/// `scheme://host:port` of a URL (the robots.txt scope).
fn origin(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(10);
        for attempt in 0..5 {
            let d = backoff(base, attempt, cap);
            let floor = base * (1 << attempt);
            assert!(d >= floor && d < floor * 2, "{attempt}: {d:?}");
        }
        assert_eq!(backoff(base, 30, cap), cap);
        // Jitter: not all equal.
        let v: std::collections::HashSet<Duration> =
            (0..20).map(|_| backoff(base, 3, cap)).collect();
        assert!(v.len() > 1);
    }

    #[test]
    fn origins_include_the_port() {
        let u = Url::parse("https://news.example/a/b?c").unwrap();
        assert_eq!(origin(&u), "https://news.example:443");
        let u = Url::parse("http://127.0.0.1:8080/x").unwrap();
        assert_eq!(origin(&u), "http://127.0.0.1:8080");
    }
}
