//! A small time-limited cache of JSON answers, keyed by path and query string.
//!
//! Lists and aggregates over a million events cost tens of milliseconds each; a dashboard
//! (and many analysts) ask the same ones again and again. An answer is reused for the
//! configured time-to-live, so new events show up at most that late. When full, expired
//! entries are dropped first, then the oldest ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Cached answers (by default JSON text).
#[derive(Debug)]
pub(crate) struct Cache<V: ?Sized = str> {
    ttl: Duration,
    max: usize,
    map: Mutex<HashMap<String, (Instant, Arc<V>)>>,
}

impl<V: ?Sized> Cache<V> {
    /// A cache keeping at most `max` answers for `ttl` each (a zero `ttl` disables it).
    pub(crate) fn new(ttl: Duration, max: usize) -> Self {
        Cache {
            ttl,
            max,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Arc<V>)>> {
        self.map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The answer stored for `key`, if still fresh.
    pub(crate) fn get(&self, key: &str) -> Option<Arc<V>> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.lock();
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| Arc::clone(v))
    }

    /// Stores an answer.
    pub(crate) fn put(&self, key: String, value: Arc<V>) {
        if self.ttl.is_zero() || self.max == 0 {
            return;
        }
        let mut map = self.lock();
        if map.len() >= self.max {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
            while map.len() >= self.max {
                let oldest = map
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => map.remove(&k),
                    None => break,
                };
            }
        }
        map.insert(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_fresh_answers_and_evicts_when_full() {
        let c: Cache = Cache::new(Duration::from_secs(60), 2);
        c.put("a".into(), "1".into());
        c.put("b".into(), "2".into());
        assert_eq!(c.get("a").as_deref(), Some("1"));
        c.put("c".into(), "3".into());
        assert!(c.get("a").is_none(), "oldest entry evicted");
        assert_eq!(c.get("c").as_deref(), Some("3"));
        let off: Cache = Cache::new(Duration::ZERO, 10);
        off.put("a".into(), "1".into());
        assert!(off.get("a").is_none());
        let short: Cache = Cache::new(Duration::from_millis(1), 10);
        short.put("a".into(), "1".into());
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.get("a").is_none(), "expired");
    }
}
