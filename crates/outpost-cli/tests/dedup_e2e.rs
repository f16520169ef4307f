//! End to end: `outpost bench dedup` on a small generated corpus meets the deduplication
//! goals (story-cluster pair precision ≥ 0.95, recall ≥ 0.90, aggregated events within 5 %
//! of K), and `--no-aggregate` really switches aggregation off.

use std::process::Command;

/// Runs `outpost bench dedup` with `args`; returns (success, stdout, stderr).
fn bench(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_outpost"))
        .args(["bench", "dedup"])
        .args(args)
        .output()
        .expect("running outpost");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The first number on the table row starting with `key`.
fn figure(table: &str, key: &str) -> f64 {
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with(key))
        .unwrap_or_else(|| panic!("no row {key:?} in:\n{table}"));
    let rest = line.trim_start()[key.len()..].trim();
    let num: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
        .collect();
    num.parse()
        .unwrap_or_else(|_| panic!("no number in row {line:?}"))
}

#[test]
fn bench_dedup_meets_the_goals_on_a_small_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("corpus");
    let keep = keep.to_str().unwrap();
    let (ok, out, err) = bench(&[
        "--events",
        "6",
        "--rewrites",
        "3",
        "--copies",
        "3",
        "--keep",
        keep,
        "--min-precision",
        "0.95",
        "--min-recall",
        "0.90",
        "--max-count-error",
        "0.05",
    ]);
    assert!(ok, "bench failed:\n{out}\n{err}");
    assert_eq!(figure(&out, "pages"), 72.0, "{out}");
    assert_eq!(figure(&out, "story clusters (truth)"), 18.0, "{out}");
    assert!(figure(&out, "pair precision") >= 0.95, "{out}");
    assert!(figure(&out, "pair recall") >= 0.90, "{out}");
    let k = figure(&out, "events (K)");
    let agg = figure(&out, "aggregated events");
    assert_eq!(k, 6.0);
    assert!((agg - k).abs() / k <= 0.05, "{out}");
    assert!(out.contains("all floors met"), "{out}");
    // The corpus was kept: pages, truth and the database.
    let truth = std::fs::read_to_string(dir.path().join("corpus/truth.tsv")).unwrap();
    assert_eq!(truth.lines().count(), 73);
    assert!(dir.path().join("corpus/dedup.db").exists());
    // A kept corpus is not overwritten.
    let (again, _, err) = bench(&["--events", "6", "--keep", keep]);
    assert!(!again, "reused a corpus directory");
    assert!(err.contains("already holds a corpus"), "{err}");
}

#[test]
fn floors_fail_the_run_and_no_aggregate_keeps_every_event() {
    let (ok, out, err) = bench(&[
        "--events",
        "4",
        "--rewrites",
        "2",
        "--copies",
        "2",
        "--seed",
        "3",
        "--no-aggregate",
        "--max-count-error",
        "0.05",
    ]);
    assert!(
        !ok,
        "an unaggregated run should miss the count floor:\n{out}"
    );
    assert!(err.contains("count error"), "{err}");
    assert!(out.contains("aggregation                  off"), "{out}");
    // Without aggregation every coded event stands alone: more events than K.
    assert!(
        figure(&out, "aggregated events") > figure(&out, "events (K)"),
        "{out}"
    );
    assert_eq!(
        figure(&out, "aggregated events"),
        figure(&out, "event mentions"),
        "{out}"
    );
}
