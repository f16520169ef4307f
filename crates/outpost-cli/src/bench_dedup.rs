//! `outpost bench dedup`: scores story clustering and event aggregation on a generated
//! corpus of rewritten and syndicated articles (see [`crate::synth_stories`]).
//!
//! The corpus is written to a directory (a temporary one unless `--keep DIR`), ingested
//! through the same code path as `outpost ingest`, and scored:
//! - story clusters: pairwise precision, recall and F1 over input pages, where two pages are
//!   predicted together when their articles share a cluster id and truly together when they
//!   are copies of one write-up (same event, same write-up);
//! - events: the number of aggregated events against K and the relative difference; how
//!   many articles were coded with the intended event type; and pairwise precision/recall
//!   of aggregation over the intended events of distinct articles (together when they
//!   report the same generated event);
//! - speed: end-to-end ingest time (dictionaries, extraction, coding, storing, aggregation)
//!   and articles per second. `--no-aggregate` ingests with aggregation off, for comparison.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::synth_stories::{StoryParams, read_truth, write_corpus};
use crate::{DictOpts, InputOpts};

/// Options of `outpost bench dedup`.
#[derive(Debug, Clone)]
pub struct DedupOpts {
    /// Corpus shape and seed.
    pub params: StoryParams,
    /// The database to ingest into (default: a file in the corpus directory).
    pub db: Option<PathBuf>,
    /// Aggregate events and cluster stories while ingesting.
    pub aggregate: bool,
    /// Keep the corpus (and the default database) in this directory.
    pub keep: Option<PathBuf>,
    /// Fail when pair precision is below this.
    pub min_precision: Option<f64>,
    /// Fail when pair recall is below this.
    pub min_recall: Option<f64>,
    /// Fail when |aggregated − K| / K is above this.
    pub max_count_error: Option<f64>,
}

/// Pairwise scores of a clustering against the truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScores {
    /// Pairs together in the truth.
    pub true_pairs: u64,
    /// Pairs predicted together.
    pub predicted_pairs: u64,
    /// Pairs together in both.
    pub correct_pairs: u64,
}

impl PairScores {
    /// Correct / predicted (1 when nothing was predicted together).
    pub fn precision(&self) -> f64 {
        ratio(self.correct_pairs, self.predicted_pairs)
    }

    /// Correct / true (1 when nothing is truly together).
    pub fn recall(&self) -> f64 {
        ratio(self.correct_pairs, self.true_pairs)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Pairwise scores of `items`, each (true label, predicted label), by contingency counts
/// (linear in the number of items).
pub fn pair_scores<T, P>(items: &[(T, P)]) -> PairScores
where
    T: std::hash::Hash + Eq + Clone,
    P: std::hash::Hash + Eq + Clone,
{
    let mut by_true: HashMap<T, u64> = HashMap::new();
    let mut by_pred: HashMap<P, u64> = HashMap::new();
    let mut by_both: HashMap<(T, P), u64> = HashMap::new();
    for (t, p) in items {
        *by_true.entry(t.clone()).or_default() += 1;
        *by_pred.entry(p.clone()).or_default() += 1;
        *by_both.entry((t.clone(), p.clone())).or_default() += 1;
    }
    PairScores {
        true_pairs: by_true.values().map(|&n| pairs(n)).sum(),
        predicted_pairs: by_pred.values().map(|&n| pairs(n)).sum(),
        correct_pairs: by_both.values().map(|&n| pairs(n)).sum(),
    }
}

/// A directory removed when dropped (unless kept).
struct WorkDir {
    path: PathBuf,
    remove: bool,
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn work_dir(keep: Option<&Path>) -> Result<WorkDir> {
    match keep {
        Some(dir) => {
            if dir.join("pages").exists() {
                bail!(
                    "{} already holds a corpus (pages/); give an empty or new directory",
                    dir.display()
                );
            }
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            Ok(WorkDir {
                path: dir.to_path_buf(),
                remove: false,
            })
        }
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let path = std::env::temp_dir().join(format!(
                "outpost-bench-dedup-{}-{nanos}",
                std::process::id()
            ));
            std::fs::create_dir_all(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            Ok(WorkDir { path, remove: true })
        }
    }
}

/// `outpost bench dedup`.
pub fn run(o: &DedupOpts) -> Result<()> {
    let p = o.params;
    if p.events == 0 || p.rewrites == 0 {
        bail!("--events and --rewrites must be at least 1");
    }
    let dir = work_dir(o.keep.as_deref())?;
    let db = match &o.db {
        Some(db) => {
            if !outpost_store::is_postgres_spec(&db.to_string_lossy()) && db.exists() {
                bail!(
                    "{} exists; the benchmark needs a new, empty database",
                    db.display()
                );
            }
            db.clone()
        }
        None => dir.path.join("dedup.db"),
    };

    let t = Instant::now();
    let (corpus, names) = write_corpus(&dir.path, p)
        .with_context(|| format!("writing the corpus to {}", dir.path.display()))?;
    let gen_secs = t.elapsed().as_secs_f64();
    let truth = read_truth(&dir.path.join("truth.tsv"))?;
    eprintln!(
        "generated {} pages ({} events × {} write-ups × {} pages) in {gen_secs:.1}s under {}",
        names.len(),
        p.events,
        p.rewrites,
        p.copies + 1,
        dir.path.display()
    );

    let t = Instant::now();
    let sum = crate::commands::ingest_with(
        &[dir.path.join("pages")],
        &db,
        &InputOpts {
            max_bytes: outpost_ingest::DEFAULT_MAX_BYTES,
        },
        &DictOpts::default(),
        o.aggregate,
    )?;
    let ingest_secs = t.elapsed().as_secs_f64();

    let store = crate::commands::open_store(&db)?;
    let rows = store
        .article_clusters()
        .context("reading the story clusters")?;
    let mut cluster_of: HashMap<String, String> = HashMap::new();
    // Each stored article and the event its pages report (identical texts come from one
    // write-up, so any of its pages says).
    let mut article_event: HashMap<String, usize> = HashMap::new();
    for r in rows {
        let file = Path::new(&r.source)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or(r.source);
        if let Some(&(e, _)) = truth.get(&file) {
            article_event.entry(r.article_id).or_insert(e);
        }
        cluster_of.insert(file, r.cluster_id);
    }
    let ev = score_events(&store, &article_event, &corpus)?;
    // Pages without a stored mention (skipped inputs) stand alone.
    let mut missing = 0usize;
    let items: Vec<((usize, usize), String)> = names
        .iter()
        .map(|name| {
            let t = truth.get(name).copied().unwrap_or((usize::MAX, 0));
            let c = match cluster_of.get(name) {
                Some(c) => c.clone(),
                None => {
                    missing += 1;
                    format!("\u{0}missing:{name}")
                }
            };
            (t, c)
        })
        .collect();
    let scores = pair_scores(&items);
    let (split, merged) = split_and_merged(&items);
    let true_clusters = p.events * p.rewrites;
    let predicted_clusters = items
        .iter()
        .map(|(_, c)| c.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();

    let aggregated = store
        .aggregated_event_count()
        .context("counting aggregated events")?;
    let mentions = store.event_count().context("counting events")?;
    let k = corpus.events.len();
    let count_error = (aggregated as f64 - k as f64) / k as f64;

    let rate = names.len() as f64 / ingest_secs.max(1e-9);
    let mut table = String::new();
    let mut row = |k: &str, v: String| table.push_str(&format!("  {k:<28} {v}\n"));
    row("pages", names.len().to_string());
    row(
        "articles stored",
        format!("{} (+{} pages already present)", sum.added, sum.present),
    );
    row("pages without a cluster", missing.to_string());
    row("story clusters (truth)", true_clusters.to_string());
    row("story clusters (predicted)", predicted_clusters.to_string());
    row("truth clusters split", split.to_string());
    row("predicted clusters merged", merged.to_string());
    row(
        "pairs true/pred/correct",
        format!(
            "{}/{}/{}",
            scores.true_pairs, scores.predicted_pairs, scores.correct_pairs
        ),
    );
    row("pair precision", format!("{:.4}", scores.precision()));
    row("pair recall", format!("{:.4}", scores.recall()));
    row("pair F1", format!("{:.4}", scores.f1()));
    row(
        "articles coded as intended",
        format!("{}/{}", ev.intended, article_event.len()),
    );
    row("events of another type", ev.other_type.to_string());
    row(
        "event pair precision",
        format!("{:.4}", ev.pairs.precision()),
    );
    row("event pair recall", format!("{:.4}", ev.pairs.recall()));
    row("events (K)", k.to_string());
    row("event mentions", mentions.to_string());
    row("aggregated events", aggregated.to_string());
    row("count error", format!("{:+.2}%", 100.0 * count_error));
    row("ingest time", format!("{ingest_secs:.2} s"));
    row("ingest rate", format!("{rate:.0} articles/s"));
    row(
        "aggregation",
        if o.aggregate { "on" } else { "off" }.to_owned(),
    );
    outln!(
        "outpost bench dedup: K={} R={} C={} seed={}\n{table}",
        p.events,
        p.rewrites,
        p.copies,
        p.seed
    );

    let mut failed = Vec::new();
    if let Some(min) = o.min_precision.filter(|&m| scores.precision() < m) {
        failed.push(format!("precision {:.4} < {min}", scores.precision()));
    }
    if let Some(min) = o.min_recall.filter(|&m| scores.recall() < m) {
        failed.push(format!("recall {:.4} < {min}", scores.recall()));
    }
    if let Some(max) = o.max_count_error.filter(|&m| count_error.abs() > m) {
        failed.push(format!("count error {:.4} > {max}", count_error.abs()));
    }
    if !failed.is_empty() {
        bail!("dedup benchmark below its floors: {}", failed.join(", "));
    }
    if o.min_precision.is_some() || o.min_recall.is_some() || o.max_count_error.is_some() {
        outln!("all floors met");
    }
    Ok(())
}

/// How the stored events match the generated ones.
struct EventScores {
    /// Articles with at least one event of the intended PLOVER type.
    intended: usize,
    /// Events of another type than their article's event.
    other_type: usize,
    /// Pairwise scores of aggregation over event mentions of the intended type: truly
    /// together when they report the same generated event, predicted together when they
    /// share an aggregated event.
    pairs: PairScores,
}

fn score_events(
    store: &outpost_store::Store,
    article_event: &HashMap<String, usize>,
    corpus: &crate::synth_stories::StoryCorpus,
) -> Result<EventScores> {
    let mut intended = 0usize;
    let mut other_type = 0usize;
    let mut items: Vec<(usize, String)> = Vec::new();
    let mut ids: Vec<(&String, &usize)> = article_event.iter().collect();
    ids.sort();
    for (id, &e) in ids {
        let want = corpus.events.get(e).map(|x| x.kind.plover()).unwrap_or("");
        let events = store
            .events_for_article(id)
            .with_context(|| format!("reading the events of article {id}"))?;
        let mut hit = false;
        for x in events {
            if x.plover != want {
                other_type += 1;
                continue;
            }
            hit = true;
            let agg = x.aggregate.map_or_else(|| x.id.clone(), |a| a.id);
            items.push((e, agg));
        }
        intended += usize::from(hit);
    }
    Ok(EventScores {
        intended,
        other_type,
        pairs: pair_scores(&items),
    })
}

/// Truth clusters spread over more than one predicted cluster, and predicted clusters that
/// hold more than one truth cluster.
fn split_and_merged<T, P>(items: &[(T, P)]) -> (usize, usize)
where
    T: std::hash::Hash + Eq + Clone,
    P: std::hash::Hash + Eq + Clone,
{
    let mut preds_of: HashMap<T, std::collections::HashSet<P>> = HashMap::new();
    let mut truths_of: HashMap<P, std::collections::HashSet<T>> = HashMap::new();
    for (t, p) in items {
        preds_of.entry(t.clone()).or_default().insert(p.clone());
        truths_of.entry(p.clone()).or_default().insert(t.clone());
    }
    (
        preds_of.values().filter(|s| s.len() > 1).count(),
        truths_of.values().filter(|s| s.len() > 1).count(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_scores_count_pairs() {
        // Truth {a,b,c} {d}; predicted {a,b} {c,d}.
        let items = [("x", 1), ("x", 1), ("x", 2), ("y", 2)];
        let s = pair_scores(&items);
        assert_eq!(s.true_pairs, 3);
        assert_eq!(s.predicted_pairs, 2);
        assert_eq!(s.correct_pairs, 1);
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.f1() - 0.4).abs() < 1e-9);
        assert_eq!(split_and_merged(&items), (1, 1));
        let perfect = pair_scores(&[("x", 1), ("x", 1), ("y", 2)]);
        assert_eq!(perfect.f1(), 1.0);
    }
}
