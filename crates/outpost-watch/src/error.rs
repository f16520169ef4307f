//! The watcher's error types.

use outpost_store::StoreError;

/// Why one HTTP fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL is not http(s), or it (or a redirect) points at a forbidden address
    /// (loopback, private, link-local, metadata …) while private addresses are not allowed.
    #[error("refused: {0}")]
    Refused(String),
    /// robots.txt of the site disallows the URL for our user agent.
    #[error("disallowed by robots.txt")]
    Robots,
    /// The body (after decompression) is larger than the cap.
    #[error("too large: over {0} bytes")]
    TooLarge(u64),
    /// More redirects than allowed, or a redirect without a usable `Location`.
    #[error("redirects: {0}")]
    Redirect(String),
    /// The server answered with an error status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The request took longer than the timeout.
    #[error("timed out")]
    Timeout,
    /// Connecting, sending or reading failed.
    #[error("network: {0}")]
    Network(String),
}

impl FetchError {
    /// Whether trying again later may succeed (network trouble, timeouts, 5xx, 429, 408).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout | FetchError::Network(_) => true,
            FetchError::Status(s) => *s >= 500 || *s == 429 || *s == 408,
            _ => false,
        }
    }
}

/// Everything else that can go wrong while watching.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// A configuration file (feeds, alert rules) is malformed.
    #[error("config {file}: {msg}")]
    Config {
        /// File name (or `<string>`).
        file: String,
        /// What is wrong, with the line when known.
        msg: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
    /// A background task or thread died.
    #[error("internal: {0}")]
    Internal(String),
}
