//! The work queue, on SQLite and on PostgreSQL alike (each test runs on both; see `common`).

#[macro_use]
mod common;

use std::collections::HashSet;
use std::thread;
use std::time::{Duration, Instant};

use common::TestDb;
use outpost_store::{FailOutcome, MAX_ATTEMPTS, QueueStats, Store, StoreError};

const LONG: Duration = Duration::from_secs(60);

fn items(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}/{i:04}.html")).collect()
}

fn stats(s: &Store) -> (u64, u64, u64, u64) {
    let QueueStats {
        pending,
        running,
        done,
        failed,
    } = s.queue_stats().unwrap();
    (pending, running, done, failed)
}

fn enqueue_counts_only_new_items(db: &TestDb) {
    let mut q = db.open();
    let batch: Vec<String> = ["a.html", "https://x.example/b", "a.html"]
        .map(String::from)
        .to_vec();
    assert_eq!(q.enqueue(&batch).unwrap(), 2);
    assert_eq!(
        q.enqueue(&["https://x.example/b".into(), "c.warc".into()])
            .unwrap(),
        1
    );
    assert_eq!(q.enqueue(&[]).unwrap(), 0);
    assert_eq!(stats(&q), (3, 0, 0, 0));
    // Claims come in enqueue order.
    let first = q.claim("w", LONG).unwrap().unwrap();
    assert_eq!((first.item.as_str(), first.attempts), ("a.html", 1));
    assert_eq!(first.last_error, None);
    // Running and done items are not queued again.
    assert_eq!(q.enqueue(&["a.html".into()]).unwrap(), 0);
    q.complete(first.id, "w").unwrap();
    assert_eq!(q.enqueue(&["a.html".into()]).unwrap(), 0);
    let order: Vec<String> = (0..2)
        .map(|_| q.claim("w", LONG).unwrap().unwrap().item)
        .collect();
    assert_eq!(order, ["https://x.example/b", "c.warc"]);
    assert!(q.claim("w", LONG).unwrap().is_none());
    assert_eq!(stats(&q), (0, 2, 1, 0));
    // Bad input is refused without touching the queue.
    for bad in [vec!["".to_string()], vec!["ok".into(), "  ".into()]] {
        assert!(matches!(q.enqueue(&bad), Err(StoreError::InvalidQuery(_))));
    }
    assert!(matches!(
        q.claim("", LONG),
        Err(StoreError::InvalidQuery(_))
    ));
    assert!(matches!(
        q.claim("w", Duration::ZERO),
        Err(StoreError::InvalidQuery(_))
    ));
    assert_eq!(stats(&q), (0, 2, 1, 0));
}

fn three_workers_process_every_item_exactly_once(db: &TestDb) {
    const N: usize = 300;
    let mut q = db.open();
    assert_eq!(q.enqueue(&items("batch", N)).unwrap(), N);
    let started = Instant::now();
    let workers: Vec<_> = (0..3)
        .map(|w| {
            let spec = db.spec.clone();
            thread::spawn(move || {
                let mut store = Store::connect(&spec).unwrap();
                let name = format!("worker-{w}");
                let mut got = Vec::new();
                while let Some(item) = store.claim(&name, LONG).unwrap() {
                    assert_eq!(item.attempts, 1, "{item:?} handed out twice");
                    store.complete(item.id, &name).unwrap();
                    got.push(item.item);
                }
                got
            })
        })
        .collect();
    let per_worker: Vec<Vec<String>> = workers.into_iter().map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();
    let all: Vec<&String> = per_worker.iter().flatten().collect();
    let distinct: HashSet<&String> = all.iter().copied().collect();
    assert_eq!(all.len(), N, "claims in total");
    assert_eq!(distinct.len(), N, "an item was processed twice");
    assert_eq!(distinct, items("batch", N).iter().collect());
    assert_eq!(stats(&q), (0, 0, N as u64, 0));
    let counts: Vec<usize> = per_worker.iter().map(Vec::len).collect();
    eprintln!(
        "{}: {N} items claimed+completed by 3 workers in {elapsed:?} (per worker {counts:?})",
        q.backend_kind()
    );
    assert!(q.claim("late", LONG).unwrap().is_none());
}

fn expired_lease_is_reclaimed_by_another_worker(db: &TestDb) {
    let mut a = db.open();
    let mut b = db.open();
    a.enqueue(&["slow.html".into()]).unwrap();
    // A lease long enough that a busy CI machine cannot stall past it before b asks.
    let held = a.claim("a", Duration::from_millis(1000)).unwrap().unwrap();
    // While the lease runs, nobody else gets it.
    assert!(b.claim("b", LONG).unwrap().is_none());
    assert_eq!(stats(&b), (0, 1, 0, 0));
    // Worker a dies (never completes); after the lease, b takes the item over.
    thread::sleep(Duration::from_millis(1300));
    let again = b.claim("b", LONG).unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (held.id, 2));
    // a's late answers are refused; b's count.
    assert!(matches!(
        a.complete(held.id, "a"),
        Err(StoreError::LeaseLost { .. })
    ));
    assert!(matches!(
        a.heartbeat(held.id, "a", LONG),
        Err(StoreError::LeaseLost { .. })
    ));
    assert!(matches!(
        a.fail(held.id, "a", "late"),
        Err(StoreError::LeaseLost { .. })
    ));
    b.complete(again.id, "b").unwrap();
    assert_eq!(stats(&a), (0, 0, 1, 0));
    // Completing twice is refused too.
    assert!(matches!(
        b.complete(again.id, "b"),
        Err(StoreError::LeaseLost { .. })
    ));
}

fn heartbeat_keeps_the_lease(db: &TestDb) {
    let mut a = db.open();
    let mut b = db.open();
    a.enqueue(&["long.warc".into()]).unwrap();
    let held = a.claim("a", Duration::from_millis(200)).unwrap().unwrap();
    a.heartbeat(held.id, "a", LONG).unwrap();
    thread::sleep(Duration::from_millis(400));
    assert!(b.claim("b", LONG).unwrap().is_none());
    // A worker whose lease ran out still finishes when nobody took the item over.
    a.heartbeat(held.id, "a", Duration::from_millis(1)).unwrap();
    thread::sleep(Duration::from_millis(50));
    a.complete(held.id, "a").unwrap();
    assert!(b.claim("b", LONG).unwrap().is_none());
    assert!(matches!(
        a.heartbeat(999_999, "a", LONG),
        Err(StoreError::LeaseLost { .. })
    ));
}

fn failures_are_retried_then_parked_with_the_reason(db: &TestDb) {
    let mut q = db.open();
    q.enqueue(&["broken.pdf".into(), "fine.html".into()])
        .unwrap();
    let mut last_error = None;
    for attempt in 1..=MAX_ATTEMPTS {
        let item = q.claim("w", LONG).unwrap().unwrap();
        assert_eq!(item.item, "broken.pdf");
        assert_eq!(item.attempts, attempt);
        assert_eq!(item.last_error, last_error);
        let reason = format!("no text layer (try {attempt})");
        let outcome = q.fail(item.id, "w", &reason).unwrap();
        let want = if attempt < MAX_ATTEMPTS {
            FailOutcome::Retry
        } else {
            FailOutcome::Failed
        };
        assert_eq!(outcome, want, "attempt {attempt}");
        last_error = Some(reason);
    }
    assert_eq!(stats(&q), (1, 0, 0, 1));
    // Only the other item is left to claim.
    let other = q.claim("w", LONG).unwrap().unwrap();
    assert_eq!(other.item, "fine.html");
    q.complete(other.id, "w").unwrap();
    assert!(q.claim("w", LONG).unwrap().is_none());
    // Enqueuing a failed item again revives it with fresh attempts; the reason is kept.
    assert_eq!(q.enqueue(&["broken.pdf".into()]).unwrap(), 1);
    let revived = q.claim("w", LONG).unwrap().unwrap();
    assert_eq!(revived.attempts, 1);
    assert_eq!(revived.last_error, last_error);
    assert!(matches!(
        q.fail(revived.id, "someone-else", "x"),
        Err(StoreError::LeaseLost { .. })
    ));
}

fn an_item_whose_workers_keep_dying_is_parked(db: &TestDb) {
    let mut q = db.open();
    q.enqueue(&["poison.html".into()]).unwrap();
    let short = Duration::from_millis(60);
    for attempt in 1..=MAX_ATTEMPTS {
        let item = q.claim(&format!("w{attempt}"), short).unwrap().unwrap();
        assert_eq!(item.attempts, attempt);
        thread::sleep(short * 3);
    }
    // The last lease ran out too: the item is parked, not handed out a fourth time.
    assert!(q.claim("w-next", short).unwrap().is_none());
    assert_eq!(stats(&q), (0, 0, 0, 1));
    assert_eq!(q.enqueue(&["poison.html".into()]).unwrap(), 1);
    let revived = q.claim("w-next", LONG).unwrap().unwrap();
    let reason = revived.last_error.unwrap();
    assert!(reason.contains("lease expired"), "{reason}");
    assert!(reason.contains(&format!("w{MAX_ATTEMPTS}")), "{reason}");
}

on_both_backends!(
    enqueue_counts_only_new_items,
    three_workers_process_every_item_exactly_once,
    expired_lease_is_reclaimed_by_another_worker,
    heartbeat_keeps_the_lease,
    failures_are_retried_then_parked_with_the_reason,
    an_item_whose_workers_keep_dying_is_parked,
);
