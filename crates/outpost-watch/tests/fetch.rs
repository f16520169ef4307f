//! The fetcher against a local test server: politeness, limits, retries and safety.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use outpost_watch::{FetchError, FetchOptions, Fetcher, Validators};

/// Options for tests: private addresses allowed (the server is on loopback), fast retries.
fn opts() -> FetchOptions {
    FetchOptions {
        allow_private: true,
        timeout: Duration::from_secs(1),
        retries: 2,
        retry_base: Duration::from_millis(20),
        per_host_interval: Duration::ZERO,
        per_host_concurrency: 4,
        max_body_bytes: 1024 * 1024,
        ..FetchOptions::default()
    }
}

#[tokio::test]
async fn pages_come_back_decoded_with_our_user_agent() {
    let srv = Server::start().await;
    let f = Fetcher::new(opts()).unwrap();
    let plain = f.get(&srv.url("/a/one"), None, true).await.unwrap();
    assert_eq!(plain.status, 200);
    assert!(String::from_utf8_lossy(&plain.body).contains("Report one"));
    assert_eq!(
        plain.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    let gz = f.get(&srv.url("/gz/two"), None, true).await.unwrap();
    assert!(
        String::from_utf8_lossy(&gz.body).contains("Report two"),
        "gzip is decoded"
    );
    let ua = srv.shared.user_agents.lock().unwrap().clone();
    assert!(!ua.is_empty());
    assert!(
        ua.iter().all(
            |u| u == outpost_watch::fetch::DEFAULT_USER_AGENT && u.starts_with("Outpost/0.1 (")
        ),
        "{ua:?}"
    );
}

#[tokio::test]
async fn conditional_get_gives_not_modified() {
    let srv = Server::start().await;
    srv.set_feed("w", &["1", "2"]);
    let f = Fetcher::new(opts()).unwrap();
    let first = f.get(&srv.url("/feed/w.xml"), None, true).await.unwrap();
    assert!(!first.not_modified);
    let etag = first.validators.etag.clone();
    assert!(etag.is_some());
    let again = f
        .get(&srv.url("/feed/w.xml"), Some(&first.validators), true)
        .await
        .unwrap();
    assert!(again.not_modified);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    srv.set_feed("w", &["1", "2", "3"]);
    let changed = f
        .get(&srv.url("/feed/w.xml"), Some(&first.validators), true)
        .await
        .unwrap();
    assert!(!changed.not_modified);
    assert_ne!(changed.validators.etag, etag);
    assert_eq!(*srv.shared.conditional.lock().unwrap(), 1);
    // Validators with nothing in them send no condition.
    let none = f
        .get(&srv.url("/feed/w.xml"), Some(&Validators::default()), true)
        .await
        .unwrap();
    assert!(!none.not_modified);
}

#[tokio::test]
async fn limits_are_enforced() {
    let srv = Server::start().await;
    let f = Fetcher::new(opts()).unwrap();
    // Body cap (2 MB body, 1 MB cap).
    assert_eq!(
        f.get(&srv.url("/big"), None, true).await.unwrap_err(),
        FetchError::TooLarge(1024 * 1024)
    );
    // Timeout (the server takes 3 s; 1 s allowed; retried twice).
    let t = Instant::now();
    assert_eq!(
        f.get(&srv.url("/slow"), None, true).await.unwrap_err(),
        FetchError::Timeout
    );
    assert!(t.elapsed() < Duration::from_secs(6));
    assert_eq!(srv.hits("/slow"), 3, "two retries after the first timeout");
    // Redirects: 3 followed, 7 are too many.
    let r = f.get(&srv.url("/redirect/3"), None, true).await.unwrap();
    assert_eq!(r.url.path(), "/a/redirected");
    assert!(matches!(
        f.get(&srv.url("/redirect/7"), None, true).await,
        Err(FetchError::Redirect(_))
    ));
    // 7 → 6 → 5 → 4 → 3 → 2 are asked (5 redirects followed); the 6th is refused.
    assert_eq!(srv.hits("/redirect/2"), 2);
    assert_eq!(
        srv.hits("/redirect/1"),
        1,
        "stopped before the end of the chain"
    );
}

#[tokio::test]
async fn transient_failures_are_retried_and_permanent_ones_reported() {
    let srv = Server::start().await;
    let f = Fetcher::new(opts()).unwrap();
    let ok = f.get(&srv.url("/flaky/x"), None, true).await.unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(srv.hits("/flaky/x"), 2);
    assert_eq!(
        f.get(&srv.url("/fail"), None, true).await.unwrap_err(),
        FetchError::Status(500)
    );
    assert_eq!(srv.hits("/fail"), 3);
    // 404 is not retried.
    assert_eq!(
        f.get(&srv.url("/nothing"), None, true).await.unwrap_err(),
        FetchError::Status(404)
    );
    assert_eq!(srv.hits("/nothing"), 1);
}

#[tokio::test]
async fn robots_txt_is_obeyed_and_cached() {
    let srv = Server::start().await;
    let f = Fetcher::new(opts()).unwrap();
    assert_eq!(
        f.get(&srv.url("/private/p1"), None, true)
            .await
            .unwrap_err(),
        FetchError::Robots
    );
    assert_eq!(srv.hits("/private/p1"), 0);
    // The * group's rule is not ours.
    assert!(f.get(&srv.url("/a/nobody"), None, true).await.is_ok());
    assert!(f.get(&srv.url("/a/p2"), None, true).await.is_ok());
    // A redirect into a disallowed path is refused too.
    assert_eq!(
        f.get(&srv.url("/to-private"), None, true)
            .await
            .unwrap_err(),
        FetchError::Robots
    );
    assert_eq!(srv.hits("/private/r"), 0);
    assert_eq!(srv.hits("/robots.txt"), 1, "fetched once per origin");
    // Without the robots check (respect_robots off) the page is fetched.
    let rude = Fetcher::new(FetchOptions {
        respect_robots: false,
        ..opts()
    })
    .unwrap();
    assert!(rude.get(&srv.url("/private/p1"), None, true).await.is_ok());
}

#[tokio::test]
async fn per_host_requests_are_spaced() {
    let srv = Server::start().await;
    let f = Fetcher::new(FetchOptions {
        per_host_interval: Duration::from_millis(150),
        per_host_burst: 1,
        respect_robots: false,
        ..opts()
    })
    .unwrap();
    let t = Instant::now();
    for i in 0..4 {
        f.get(&srv.url(&format!("/a/s{i}")), None, true)
            .await
            .unwrap();
    }
    // Starts at 0, 150, 300, 450 ms.
    assert!(
        t.elapsed() >= Duration::from_millis(440),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn a_short_burst_then_spacing() {
    let srv = Server::start().await;
    let f = Fetcher::new(FetchOptions {
        per_host_interval: Duration::from_millis(300),
        per_host_burst: 3,
        respect_robots: false,
        ..opts()
    })
    .unwrap();
    let t = Instant::now();
    for i in 0..3 {
        f.get(&srv.url(&format!("/a/b{i}")), None, true)
            .await
            .unwrap();
    }
    // Three back to back…
    assert!(
        t.elapsed() < Duration::from_millis(250),
        "{:?}",
        t.elapsed()
    );
    for i in 3..5 {
        f.get(&srv.url(&format!("/a/b{i}")), None, true)
            .await
            .unwrap();
    }
    // …then one per 300 ms: the 4th starts at 300 ms, the 5th at 600 ms.
    assert!(
        t.elapsed() >= Duration::from_millis(590),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn private_addresses_are_refused_without_any_request() {
    let srv = Server::start().await;
    let strict = Fetcher::new(FetchOptions {
        allow_private: false,
        ..opts()
    })
    .unwrap();
    for url in [srv.url("/a/1"), srv.url("/robots.txt")] {
        assert!(
            matches!(
                strict.get(&url, None, true).await,
                Err(FetchError::Refused(_))
            ),
            "{url}"
        );
    }
    // A name that resolves to loopback is refused after resolution.
    let by_name = format!("http://localhost:{}/a/2", srv.addr.port());
    let err = strict.get(&by_name, None, false).await.unwrap_err();
    assert!(matches!(err, FetchError::Refused(_)), "{err:?}");
    assert!(matches!(
        strict.get("file:///etc/passwd", None, false).await,
        Err(FetchError::Refused(_))
    ));
    assert_eq!(srv.total_hits(), 0, "no request reached the server");
}

#[tokio::test]
async fn redirects_to_private_addresses_are_refused() {
    let srv = Server::start().await;
    // The test server itself (127.0.0.1) is allowed explicitly; everything else private is
    // not, so the hop to 127.0.0.2 is refused.
    let strict = Fetcher::new(FetchOptions {
        allow_private: false,
        allowed_ips: vec![srv.addr.ip()],
        ..opts()
    })
    .unwrap();
    assert!(strict.get(&srv.url("/a/ok"), None, true).await.is_ok());
    let err = strict
        .get(&srv.url("/to-other-loopback"), None, true)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Refused(_)), "{err:?}");
    assert_eq!(srv.hits("/to-other-loopback"), 1);
    assert_eq!(
        srv.hits("/a/other"),
        0,
        "the redirect target was never asked"
    );
    let err = strict
        .get(&srv.url("/to-file"), None, true)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Refused(_)), "{err:?}");
    // With private addresses allowed the same redirect is followed: the hop is tried (and
    // fails to connect, since the server listens on 127.0.0.1 only).
    let open = Fetcher::new(FetchOptions {
        retries: 0,
        ..opts()
    })
    .unwrap();
    // (robots.txt off: with it on, the unreachable host's robots.txt would refuse first.)
    let err = open
        .get(&srv.url("/to-other-loopback"), None, false)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Network(_)), "{err:?}");
    let err = open
        .get(&srv.url("/to-other-loopback"), None, true)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::Robots);
}
