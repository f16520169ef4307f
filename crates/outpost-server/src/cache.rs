//! A small time-limited cache of JSON answers, keyed by path and query string.
//!
//! Lists and aggregates over a million events cost tens of milliseconds each; a dashboard
//! (and many analysts) ask the same ones again and again. An answer is reused for the
//! configured time-to-live, so new events show up at most that late. The cache holds at most
//! a number of answers and at most [`MAX_BYTES`] of them (a day-by-type series over years is
//! a megabyte; a full-text match list of a common word, a few): when full, expired entries
//! are dropped first, then the least recently used ones (so a common search that many ask
//! for stays while a stream of one-off searches passes through). An answer larger than a quarter of the budget is
//! not kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most bytes of answers one cache keeps (keys included).
pub(crate) const MAX_BYTES: usize = 24 << 20;

/// The size in bytes of a cached value (for the byte budget).
pub(crate) trait Weigh {
    /// Bytes held.
    fn weight(&self) -> usize;
}

impl Weigh for str {
    fn weight(&self) -> usize {
        self.len()
    }
}

impl Weigh for Vec<u32> {
    fn weight(&self) -> usize {
        self.len() * 4
    }
}

/// One cached answer: when it was stored (for the time-to-live), when it was last used (for
/// eviction) and the value.
#[derive(Debug)]
struct Entry<V: ?Sized> {
    stored: Instant,
    used: Instant,
    value: Arc<V>,
}

/// The entries and their total size.
#[derive(Debug)]
struct Entries<V: ?Sized> {
    map: HashMap<String, Entry<V>>,
    bytes: usize,
}

/// Cached answers (by default JSON text).
#[derive(Debug)]
pub(crate) struct Cache<V: ?Sized = str> {
    ttl: Duration,
    max: usize,
    max_bytes: usize,
    inner: Mutex<Entries<V>>,
}

fn weight_of<V: Weigh + ?Sized>(key: &str, v: &V) -> usize {
    key.len() + v.weight() + 64
}

impl<V: Weigh + ?Sized> Cache<V> {
    /// A cache keeping at most `max` answers (and [`MAX_BYTES`]) for `ttl` each (a zero
    /// `ttl` disables it).
    pub(crate) fn new(ttl: Duration, max: usize) -> Self {
        Self::with_budget(ttl, max, MAX_BYTES)
    }

    /// As [`Cache::new`], with a byte budget of `max_bytes`.
    pub(crate) fn with_budget(ttl: Duration, max: usize, max_bytes: usize) -> Self {
        Cache {
            ttl,
            max,
            max_bytes,
            inner: Mutex::new(Entries {
                map: HashMap::new(),
                bytes: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<V>> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The answer stored for `key`, if still fresh.
    pub(crate) fn get(&self, key: &str) -> Option<Arc<V>> {
        if self.ttl.is_zero() {
            return None;
        }
        let mut e = self.lock();
        let entry = e.map.get_mut(key)?;
        if entry.stored.elapsed() >= self.ttl {
            return None;
        }
        entry.used = Instant::now();
        Some(Arc::clone(&entry.value))
    }

    /// Stores an answer (unless it alone would take more than a quarter of the budget).
    pub(crate) fn put(&self, key: String, value: Arc<V>) {
        let w = weight_of(&key, &*value);
        if self.ttl.is_zero() || self.max == 0 || w > self.max_bytes / 4 {
            return;
        }
        let mut e = self.lock();
        if let Some(old) = e.map.remove(&key) {
            e.bytes = e.bytes.saturating_sub(weight_of(&key, &*old.value));
        }
        if e.map.len() >= self.max || e.bytes + w > self.max_bytes {
            let ttl = self.ttl;
            let mut freed = 0;
            e.map.retain(|k, entry| {
                let keep = entry.stored.elapsed() < ttl;
                if !keep {
                    freed += weight_of(k, &*entry.value);
                }
                keep
            });
            e.bytes = e.bytes.saturating_sub(freed);
            while e.map.len() >= self.max || e.bytes + w > self.max_bytes {
                let least_used = e
                    .map
                    .iter()
                    .min_by_key(|(_, entry)| entry.used)
                    .map(|(k, _)| k.clone());
                let Some(k) = least_used else { break };
                if let Some(old) = e.map.remove(&k) {
                    e.bytes = e.bytes.saturating_sub(weight_of(&k, &*old.value));
                }
            }
        }
        e.bytes += w;
        let now = Instant::now();
        e.map.insert(
            key,
            Entry {
                stored: now,
                used: now,
                value,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_fresh_answers_and_evicts_when_full() {
        let c: Cache = Cache::new(Duration::from_secs(60), 2);
        c.put("a".into(), "1".into());
        std::thread::sleep(Duration::from_millis(2));
        c.put("b".into(), "2".into());
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(c.get("a").as_deref(), Some("1"));
        c.put("c".into(), "3".into());
        assert!(c.get("b").is_none(), "least recently used entry evicted");
        assert_eq!(c.get("a").as_deref(), Some("1"), "used: kept");
        assert_eq!(c.get("c").as_deref(), Some("3"));
        let off: Cache = Cache::new(Duration::ZERO, 10);
        off.put("a".into(), "1".into());
        assert!(off.get("a").is_none());
        let short: Cache = Cache::new(Duration::from_millis(1), 10);
        short.put("a".into(), "1".into());
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.get("a").is_none(), "expired");
    }

    #[test]
    fn keeps_to_the_byte_budget() {
        // Each answer below weighs 400 bytes plus its key and 64 of overhead.
        let c: Cache = Cache::with_budget(Duration::from_secs(60), 100, 2000);
        let big = |n: usize| -> Arc<str> { "x".repeat(n).into() };
        for k in ["a", "b", "c", "d"] {
            c.put(k.into(), big(400));
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(c.get("a").is_some() && c.get("d").is_some());
        // A fifth answer overflows the budget: the least recently used goes ("a" and "d"
        // were just read, so "b").
        std::thread::sleep(Duration::from_millis(2));
        c.put("e".into(), big(400));
        assert!(
            c.get("b").is_none(),
            "least recently used evicted for bytes"
        );
        assert!(c.get("a").is_some() && c.get("c").is_some() && c.get("e").is_some());
        assert!(c.lock().bytes <= 2000);
        // Too big for the cache at all: not kept, nothing else evicted.
        c.put("huge".into(), big(600));
        assert!(c.get("huge").is_none());
        assert!(c.get("c").is_some());
        // Replacing an entry does not count it twice.
        for _ in 0..10 {
            c.put("e".into(), big(400));
        }
        assert!(c.get("c").is_some(), "nothing evicted by replacing");
        let total: usize = c
            .lock()
            .map
            .iter()
            .map(|(k, entry)| weight_of(k, &*entry.value))
            .sum();
        assert_eq!(c.lock().bytes, total);
    }
}
