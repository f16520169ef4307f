//! Backend-neutral types and rules of the work queue.
//!
//! A work item is a string naming one input (a path or a URL). Items move
//! `pending → running → done`; a worker takes one with a *lease* (a deadline), may extend it
//! with a heartbeat, and finishes it with `complete` or `fail`. An item whose lease runs out
//! (its worker died or hung) is handed to the next worker that asks. Every claim counts as an
//! attempt: after [`MAX_ATTEMPTS`] attempts an item that fails again, or whose lease runs out
//! again, is parked as `failed` with the last reason; enqueuing it again puts it back.
//!
//! The queue never runs work itself; it only hands out items, exactly one holder at a time.

use std::time::Duration;

use serde::Serialize;

use crate::error::StoreError;

/// Attempts an item gets (claims, counting those whose lease ran out) before it is parked
/// as `failed`.
pub const MAX_ATTEMPTS: u32 = 3;

/// Longest lease accepted (a heartbeat can always extend it).
pub const MAX_LEASE: Duration = Duration::from_secs(7 * 24 * 3600);

/// One claimed work item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// Queue id: pass it to complete, fail and heartbeat.
    pub id: i64,
    /// The item as enqueued (a path or URL).
    pub item: String,
    /// Claims of this item so far, this one included (1 on the first try).
    pub attempts: u32,
    /// The reason given by the last `fail` of this item, if any.
    pub last_error: Option<String>,
}

/// What `fail` did with the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailOutcome {
    /// Back to `pending`: it will be claimed again (attempts left).
    Retry,
    /// Parked as `failed` after [`MAX_ATTEMPTS`] attempts; only a new enqueue revives it.
    Failed,
}

/// Items per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    /// Waiting to be claimed (new, or failed with attempts left).
    pub pending: u64,
    /// Claimed and not finished. Includes items whose lease ran out but that no worker has
    /// reclaimed yet.
    pub running: u64,
    /// Completed.
    pub done: u64,
    /// Given up after [`MAX_ATTEMPTS`] attempts.
    pub failed: u64,
}

impl QueueStats {
    /// Adds `n` items in `state` (`pending`, `running`, `done`, `failed`); other states are
    /// corrupt rows.
    pub fn add(&mut self, state: &str, n: i64) -> Result<(), StoreError> {
        let n = u64::try_from(n).unwrap_or(0);
        match state {
            "pending" => self.pending += n,
            "running" => self.running += n,
            "done" => self.done += n,
            "failed" => self.failed += n,
            other => return Err(StoreError::Corrupt(format!("work item state {other:?}"))),
        }
        Ok(())
    }
}

/// A lease in whole milliseconds: at least 1 ms, at most [`MAX_LEASE`].
pub fn lease_millis(lease: Duration) -> Result<i64, StoreError> {
    if lease.is_zero() || lease > MAX_LEASE {
        return Err(StoreError::InvalidQuery(format!(
            "lease must be between 1 ms and {} s, not {lease:?}",
            MAX_LEASE.as_secs()
        )));
    }
    Ok(i64::try_from(lease.as_millis()).map_or(i64::MAX, |ms| ms.max(1)))
}

/// Checks a worker name: non-empty, no control characters.
pub fn check_worker(worker: &str) -> Result<(), StoreError> {
    if worker.is_empty() || worker.chars().any(char::is_control) {
        return Err(StoreError::InvalidQuery(format!(
            "bad worker name {worker:?}"
        )));
    }
    Ok(())
}

/// Checks items to enqueue: non-empty, no NUL (PostgreSQL text cannot hold it).
pub fn check_items(items: &[String]) -> Result<(), StoreError> {
    for i in items {
        if i.trim().is_empty() || i.contains('\0') {
            return Err(StoreError::InvalidQuery(format!("bad work item {i:?}")));
        }
    }
    Ok(())
}

/// The attempt count stored in a row, as a `u32`.
pub fn attempts(n: i64) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("attempts {n}")))
}

/// The reason recorded when an item's lease ran out on its last allowed attempt.
pub fn expired_reason(attempts: u32, worker: Option<&str>) -> String {
    format!(
        "lease expired on attempt {attempts} (worker {})",
        worker.unwrap_or("?")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_and_names_are_checked() {
        assert!(lease_millis(Duration::ZERO).is_err());
        assert_eq!(lease_millis(Duration::from_micros(10)).unwrap(), 1);
        assert_eq!(lease_millis(Duration::from_secs(2)).unwrap(), 2000);
        assert!(lease_millis(MAX_LEASE + Duration::from_secs(1)).is_err());
        assert!(check_worker("w1").is_ok());
        assert!(check_worker("").is_err());
        assert!(check_worker("a\nb").is_err());
        assert!(check_items(&["a".into(), "https://x.example/1".into()]).is_ok());
        assert!(check_items(&[" ".into()]).is_err());
        assert!(check_items(&["a\0b".into()]).is_err());
    }

    #[test]
    fn stats_reject_unknown_states() {
        let mut s = QueueStats::default();
        s.add("pending", 2).unwrap();
        s.add("done", 3).unwrap();
        assert_eq!((s.pending, s.running, s.done, s.failed), (2, 0, 3, 0));
        assert!(s.add("lost", 1).is_err());
    }
}
