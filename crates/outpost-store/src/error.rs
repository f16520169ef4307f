//! The store's error type.

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite engine reported an error (I/O, constraint, corrupt file, …).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server or client reported an error (connection refused, constraint,
    /// bad connection string, …).
    #[error("PostgreSQL error: {}", with_causes(.0))]
    Postgres(#[from] postgres::Error),
    /// The database was written by a newer Outpost: its schema version is beyond the
    /// migrations this build knows. Nothing was changed.
    #[error(
        "database schema version {found} is newer than this build supports ({known}); upgrade outpost"
    )]
    SchemaTooNew {
        /// Version found in the database.
        found: u32,
        /// Highest version this build knows.
        known: u32,
    },
    /// A stored JSON column could not be read or a value could not be written as JSON.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// A query parameter is out of range or malformed (bad cursor, limit 0, empty search).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// An event handed to `insert_article` cannot be stored as given.
    #[error("invalid event {id}: {reason}")]
    InvalidEvent {
        /// The event's id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A stored row holds a value the code cannot read back (e.g. a malformed date).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// A work-queue call named an item that this worker does not hold: it is not running,
    /// or its lease expired and another worker claimed it, or the id is unknown.
    #[error("work item {id} is not held by worker {worker:?} (lease lost or not running)")]
    LeaseLost {
        /// The work item's id.
        id: i64,
        /// The worker that made the call.
        worker: String,
    },
}

/// An error's message followed by those of its causes (the PostgreSQL client puts the useful
/// part, such as the server's message or "connection refused", in the causes).
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let msg = c.to_string();
        if !out.contains(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        cur = c.source();
    }
    out
}
