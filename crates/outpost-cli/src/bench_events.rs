//! `outpost bench events GOLD.jsonl`: scores the event coder against a gold file.
//!
//! The gold schema is one JSON object per line: `id`, `text`, `events` (each with `type`,
//! optional `plover`, `cameo`, `source_actor`, `target_actor`), and `meta` (with `dataset`,
//! `date_placeholder` or `story_date`). Every record's text is annotated and coded as one
//! article (article date = the placeholder/story date, else today); what is scored depends on
//! what the gold gives:
//!
//! - **PLOVER** (records whose gold events carry `plover`): for each record, the gold type set
//!   G and the predicted type set P. *Type accuracy* = the fraction of gold events whose type
//!   is in P of the same record (a sentence can yield several events; each gold event asks
//!   "did the coder find an event of this type in this sentence?"). Precision/recall/F1 over
//!   the (record, type) pairs. A gold event is *matched* to the predicted event of its type
//!   whose actors agree best with it; over matched events with a gold source (target), the
//!   *source (target) country accuracy* is the fraction whose predicted actor's country block
//!   (first three letters of the CAMEO-style code; `---` = none) is one of the gold's `|`-listed
//!   codes' blocks. Odd gold blocks are normalised (JAP→JPN, ITL→ITA, `***` dropped), and a
//!   predicted `EUR`/`UNO` counts as `IGO`.
//! - **ACLED** (`case2021*` records): one predicted sub-event label per snippet (the first
//!   event in text order with an ACLED type — a snippet leads with its main event — else none) against the gold label mapped to
//!   ACLED's names; weighted F1 over the gold ACLED classes (weights = gold support; records
//!   whose gold is not an ACLED type count only as false positives). Records labelled
//!   ORG_CRIME / NATURAL_DISASTER / MAN_MADE_DISASTER / DIPLO / ATTRIB expect *no political
//!   violence*: the report counts those where an event of type Battles, Explosions/Remote
//!   violence or Violence against civilians was produced.
//! - **CAMEO** (records whose gold events carry `cameo` and no `plover`, e.g. PETRARCH2's unit
//!   tests): per record, the multiset of gold CAMEO codes against the predicted codes;
//!   event precision/recall/F1 over codes (actors are not compared: the fictional actors exist
//!   only in PETRARCH2's own dictionaries). Records flagged `expect_error` are skipped.
//!
//! Speed is annotation plus coding of every record, single thread: the file is annotated and
//! coded in full passes (the scoring pass, which also pays for cold caches, then more passes
//! until at least five passes and one second of timed passes), and the best pass is reported
//! with the median pass next to it; dictionary load time is
//! building the annotator (actors, roles, gazetteer) and the coder (verbs, cues, CAMEO table).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use outpost_core::{Article, Event};
use serde_json::Value;

use crate::pipeline::DictFiles;

/// ACLED names of the case2021 labels (`None` = not an ACLED type).
fn acled_name(label: &str) -> Option<&'static str> {
    Some(match label {
        "ARMED_CLASH" => "Armed clash",
        "GOV_REGAINS_TERIT" => "Government regains territory",
        "NON_STATE_ACTOR_OVERTAKES_TER" => "Non-state actor overtakes territory",
        "AIR_STRIKE" => "Air/drone strike",
        "ART_MISS_ATTACK" => "Shelling/artillery/missile attack",
        "REM_EXPLOS" => "Remote explosive/landmine/IED",
        "SUIC_BOMB" => "Suicide bomb",
        "CHEM_WEAP" => "Chemical weapon",
        "GRENADE" => "Grenade",
        "ATTACK" => "Attack",
        "ABDUCT_DISSAP" => "Abduction/forced disappearance",
        "SEX_VIOL" => "Sexual violence",
        "PEACE_PROTEST" => "Peaceful protest",
        "PROTEST_WITH_INTER" => "Protest with intervention",
        "FORCE_AGAINST_PROTEST" => "Excessive force against protesters",
        "VIOL_DEMONSTR" => "Violent demonstration",
        "MOB_VIOL" => "Mob violence",
        "AGREEMENT" => "Agreement",
        "ARREST" => "Arrests",
        "CHANGE_TO_GROUP_ACT" => "Change to group/activity",
        "DISR_WEAP" => "Disrupted weapons use",
        "HQ_ESTABLISHED" => "Headquarters or base established",
        "PROPERTY_DISTRUCT" => "Looting/property destruction",
        "NON_VIOL_TERRIT_TRANSFER" => "Non-violent transfer of territory",
        "OTHER" => "Other",
        _ => return None,
    })
}

/// Gold labels that expect no political violence.
const NON_VIOLENCE: [&str; 5] = [
    "ORG_CRIME",
    "NATURAL_DISASTER",
    "MAN_MADE_DISASTER",
    "DIPLO",
    "ATTRIB",
];

/// ACLED event types that are political violence.
const VIOLENCE_TYPES: [&str; 3] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
];

/// A label for "no event".
const NONE: &str = "(none)";

/// The country block of a CAMEO-style actor code, normalised.
fn block(code: &str) -> String {
    let c = code.trim().trim_end_matches('*');
    let b: String = c.chars().take(3).collect();
    match b.as_str() {
        "" => "---".into(),
        "JAP" => "JPN".into(),
        "ITL" => "ITA".into(),
        "EUR" | "UNO" => "IGO".into(),
        _ => b,
    }
}

/// The country blocks of a gold actor field ("HUNGOV|ROUGOV" → {HUN, ROU}).
fn gold_blocks(field: Option<&str>) -> Option<Vec<String>> {
    let f = field?.trim();
    if f.is_empty() {
        return None;
    }
    Some(f.split('|').map(block).collect())
}

/// What was found for one record.
struct Case {
    id: String,
    text: String,
    gold: Vec<String>,
    predicted: Vec<String>,
    /// How bad (for `--errors`): missed gold + spurious predictions + wrong actors.
    badness: usize,
}

#[derive(Default)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Prf {
    fn p(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn r(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn describe(e: &Event) -> String {
    let t = e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-");
    let acled = e
        .acled
        .as_ref()
        .map(|a| format!(" [{}]", a.sub_event_type))
        .unwrap_or_default();
    format!(
        "{}{} {} {}→{} ({:?}, \"{}\"){}",
        e.plover,
        e.mode
            .as_deref()
            .map(|m| format!("-{m}"))
            .unwrap_or_default(),
        e.cameo,
        e.source.code,
        t,
        e.status,
        e.evidence.trigger,
        acled
    )
}

fn describe_gold(g: &Value) -> String {
    let s = |k: &str| g[k].as_str().unwrap_or("").to_string();
    let ty = if s("plover").is_empty() {
        s("type")
    } else {
        s("plover")
    };
    let cameo = s("cameo");
    format!(
        "{ty}{} {}→{}",
        if cameo.is_empty() || cameo == ty {
            String::new()
        } else {
            format!(" {cameo}")
        },
        if s("source_actor").is_empty() {
            "-".into()
        } else {
            s("source_actor")
        },
        if s("target_actor").is_empty() {
            "-".into()
        } else {
            s("target_actor")
        },
    )
}

fn article_date(meta: &Value) -> chrono::NaiveDate {
    let parse = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y%m%d"))
            .ok()
    };
    meta["date_placeholder"]
        .as_str()
        .and_then(parse)
        .or_else(|| meta["story_date"].as_str().and_then(parse))
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Runs the benchmark on `gold` with the built-in dictionaries plus `dicts`, printing the
/// report to stdout; `errors` worst cases are listed at the end.
pub fn run(gold: &Path, dicts: &DictFiles, errors: usize) -> Result<()> {
    let text = std::fs::read_to_string(gold)
        .with_context(|| format!("reading gold file {}", gold.display()))?;
    let t = Instant::now();
    let (annotator, coder) = crate::pipeline::load_stages(dicts)?;
    let load = t.elapsed();

    let mut records: Vec<Value> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a JSON object", gold.display(), i + 1))?;
        records.push(v);
    }

    let mut code_time = Duration::ZERO;
    let mut articles: Vec<Article> = Vec::new();
    let mut n_sentences = 0usize;
    // PLOVER
    let mut plover_gold_events = 0usize;
    let mut plover_hit_events = 0usize;
    let mut plover_prf = Prf::default();
    let mut top1 = (0usize, 0usize);
    let mut src_acc = (0usize, 0usize);
    let mut tgt_acc = (0usize, 0usize);
    let mut per_type: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut spurious: BTreeMap<String, usize> = BTreeMap::new();
    // ACLED
    let mut acled_pairs: Vec<(Option<String>, String)> = Vec::new(); // (gold, predicted)
    let mut nonviol = (0usize, 0usize); // (violence produced, records)
    let mut nonviol_by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    // CAMEO
    let mut cameo_prf = Prf::default();
    let mut cameo_root = Prf::default();
    let mut cameo_records = 0usize;
    let mut cases: Vec<Case> = Vec::new();

    for r in &records {
        let meta = &r["meta"];
        if meta["expect_error"].as_bool() == Some(true) {
            continue;
        }
        let id = r["id"].as_str().unwrap_or("").to_string();
        let Some(text) = r["text"].as_str() else {
            continue;
        };
        let gold_events: Vec<&Value> = r["events"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let article = Article {
            id: id.clone(),
            source: id.clone(),
            title: None,
            date: Some(article_date(meta)),
            modified: None,
            authors: Vec::new(),
            site: None,
            url: None,
            language: Some("en".into()),
            wire: None,
            text: text.to_string(),
        };
        let t = Instant::now();
        let doc = annotator.annotate(&article);
        let events = coder.code(&doc);
        code_time += t.elapsed();
        articles.push(article.clone());
        n_sentences += doc.sentences.len();

        let dataset = meta["dataset"].as_str().unwrap_or("");
        let is_plover = gold_events.iter().any(|g| g["plover"].is_string());
        let is_case = dataset.starts_with("case2021");
        let is_cameo = !is_plover
            && !is_case
            && (dataset.contains("petrarch") || gold_events.iter().any(|g| g["cameo"].is_string()));
        let predicted: Vec<String> = events.iter().map(describe).collect();
        let gold_desc: Vec<String> = gold_events.iter().map(|g| describe_gold(g)).collect();
        let mut badness = 0usize;

        if is_plover {
            let pred_types: Vec<&str> = events.iter().map(|e| e.plover.as_str()).collect();
            let mut gold_types: Vec<&str> = Vec::new();
            for g in &gold_events {
                let Some(gt) = g["plover"].as_str() else {
                    continue;
                };
                plover_gold_events += 1;
                let entry = per_type.entry(gt.to_string()).or_default();
                entry.0 += 1;
                if !gold_types.contains(&gt) {
                    gold_types.push(gt);
                }
                let cands: Vec<&Event> = events.iter().filter(|e| e.plover == gt).collect();
                if cands.is_empty() {
                    badness += 2;
                    let row = confusion.entry(gt.to_string()).or_default();
                    let best = events
                        .iter()
                        .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
                        .map(|e| e.plover.clone())
                        .unwrap_or_else(|| NONE.into());
                    *row.entry(best).or_default() += 1;
                    continue;
                }
                plover_hit_events += 1;
                entry.1 += 1;
                let gs = gold_blocks(g["source_actor"].as_str());
                let gtg = gold_blocks(g["target_actor"].as_str());
                let score = |e: &Event| {
                    let s_ok = gs
                        .as_ref()
                        .map(|b| b.contains(&block(&e.source.code)))
                        .unwrap_or(false);
                    let t_code = e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("---");
                    let t_ok = gtg
                        .as_ref()
                        .map(|b| b.contains(&block(t_code)))
                        .unwrap_or(false);
                    (s_ok, t_ok)
                };
                let best = cands
                    .iter()
                    .map(|e| score(e))
                    .max_by_key(|(s, t)| usize::from(*s) + usize::from(*t))
                    .unwrap_or((false, false));
                if gs.is_some() {
                    src_acc.1 += 1;
                    if best.0 {
                        src_acc.0 += 1;
                    } else {
                        badness += 1;
                    }
                }
                if gtg.is_some() {
                    tgt_acc.1 += 1;
                    if best.1 {
                        tgt_acc.0 += 1;
                    } else {
                        badness += 1;
                    }
                }
            }
            let mut uniq_pred: Vec<&str> = Vec::new();
            for p in &pred_types {
                if !uniq_pred.contains(p) {
                    uniq_pred.push(p);
                }
            }
            for p in &uniq_pred {
                if gold_types.contains(p) {
                    plover_prf.tp += 1;
                } else {
                    plover_prf.fp += 1;
                    badness += 1;
                    *spurious.entry((*p).to_string()).or_default() += 1;
                }
            }
            plover_prf.fn_ += gold_types.iter().filter(|g| !uniq_pred.contains(g)).count();
            if let Some(first) = gold_types.first() {
                top1.1 += 1;
                let best = events
                    .iter()
                    .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
                    .map(|e| e.plover.as_str());
                if best == Some(*first) {
                    top1.0 += 1;
                }
            }
        } else if is_case {
            let label = gold_events
                .first()
                .and_then(|g| g["type"].as_str())
                .unwrap_or("");
            let gold_name = acled_name(label).map(str::to_string);
            let pred = events
                .iter()
                .filter(|e| e.acled.is_some())
                .min_by_key(|e| (e.evidence.sentence, e.evidence.start))
                .and_then(|e| e.acled.as_ref())
                .map(|a| a.sub_event_type.clone())
                .unwrap_or_else(|| NONE.into());
            if NON_VIOLENCE.contains(&label) {
                let violent = events.iter().any(|e| {
                    e.acled
                        .as_ref()
                        .is_some_and(|a| VIOLENCE_TYPES.contains(&a.event_type.as_str()))
                });
                nonviol.1 += 1;
                let row = nonviol_by.entry(label.to_string()).or_default();
                row.1 += 1;
                if violent {
                    nonviol.0 += 1;
                    row.0 += 1;
                    badness += 2;
                }
            }
            if gold_name.as_deref() != Some(pred.as_str()) && !(gold_name.is_none() && pred == NONE)
            {
                badness += 1;
            }
            let row = confusion
                .entry(
                    gold_name
                        .clone()
                        .unwrap_or_else(|| format!("{label} (no ACLED)")),
                )
                .or_default();
            *row.entry(pred.clone()).or_default() += 1;
            acled_pairs.push((gold_name, pred));
        } else if is_cameo {
            cameo_records += 1;
            let mut gold_codes: Vec<String> = gold_events
                .iter()
                .filter_map(|g| g["cameo"].as_str().map(str::to_string))
                .collect();
            let mut pred_codes: Vec<String> = events.iter().map(|e| e.cameo.clone()).collect();
            let root = |c: &String| c.chars().take(2).collect::<String>();
            let mut gold_roots: Vec<String> = gold_codes.iter().map(root).collect();
            let mut pred_roots: Vec<String> = pred_codes.iter().map(root).collect();
            let (tp, fp, fn_) = multiset(&mut gold_codes, &mut pred_codes);
            cameo_prf.tp += tp;
            cameo_prf.fp += fp;
            cameo_prf.fn_ += fn_;
            badness += fp + fn_;
            let (tp, fp, fn_) = multiset(&mut gold_roots, &mut pred_roots);
            cameo_root.tp += tp;
            cameo_root.fp += fp;
            cameo_root.fn_ += fn_;
        }
        cases.push(Case {
            id,
            text: text.to_string(),
            gold: gold_desc,
            predicted,
            badness,
        });
    }

    // speed: further timed passes over the same records (the scoring pass above also pays
    // for cold caches), at least MIN_PASSES and until MIN_TIMED of passes are timed, so a
    // small gold file still gives a stable figure; the best pass is reported, with the median.
    const MIN_PASSES: usize = 5;
    const MAX_PASSES: usize = 1000;
    const MIN_TIMED: Duration = Duration::from_secs(1);
    let mut pass_times: Vec<Duration> = vec![code_time];
    let mut timed = Duration::ZERO;
    while pass_times.len() < MAX_PASSES && (pass_times.len() < MIN_PASSES || timed < MIN_TIMED) {
        let t = Instant::now();
        for a in &articles {
            let doc = annotator.annotate(a);
            std::hint::black_box(coder.code(&doc));
        }
        let e = t.elapsed();
        timed += e;
        pass_times.push(e);
    }
    pass_times.sort();
    let passes = pass_times.len();
    let secs = pass_times[0].as_secs_f64();
    let median_secs = pass_times[passes / 2].as_secs_f64();
    let per_sec = |s: f64| {
        if s > 0.0 { n_sentences as f64 / s } else { 0.0 }
    };
    outln!("gold file        {}", gold.display());
    outln!("records          {}", cases.len());
    outln!(
        "dictionary load  {:.0} ms (annotator + gazetteer + coder)",
        load.as_secs_f64() * 1000.0
    );
    outln!(
        "speed            {} sentences in {:.4} s = {:.0} sentences/s (annotate + code, one thread, best of {} passes over the file; median pass {:.0} sentences/s)",
        n_sentences,
        secs,
        per_sec(secs),
        passes,
        per_sec(median_secs)
    );
    if plover_gold_events > 0 {
        outln!();
        outln!("== PLOVER types ==");
        outln!(
            "type accuracy    {:.3}  ({} of {} gold events have an event of their type predicted for the same sentence)",
            ratio(plover_hit_events, plover_gold_events),
            plover_hit_events,
            plover_gold_events
        );
        outln!(
            "top-1 accuracy   {:.3}  (the most confident predicted event has the gold type; {} of {})",
            ratio(top1.0, top1.1),
            top1.0,
            top1.1
        );
        outln!(
            "types P/R/F1     {:.3} / {:.3} / {:.3}  (over (sentence, type) pairs: tp {} fp {} fn {})",
            plover_prf.p(),
            plover_prf.r(),
            plover_prf.f1(),
            plover_prf.tp,
            plover_prf.fp,
            plover_prf.fn_
        );
        outln!(
            "source country   {:.3}  ({} of {} matched events with a gold source)",
            ratio(src_acc.0, src_acc.1),
            src_acc.0,
            src_acc.1
        );
        outln!(
            "target country   {:.3}  ({} of {} matched events with a gold target; no target predicted = `---`)",
            ratio(tgt_acc.0, tgt_acc.1),
            tgt_acc.0,
            tgt_acc.1
        );
        outln!();
        outln!("per type (gold events: found / total; missed → most confident prediction)");
        for (t, (n, hit)) in &per_type {
            let conf = confusion
                .get(t)
                .map(|row| {
                    let mut v: Vec<(&String, &usize)> = row.iter().collect();
                    v.sort_by(|a, b| b.1.cmp(a.1));
                    v.iter()
                        .take(4)
                        .map(|(k, c)| format!("{k} {c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            outln!("  {t:<10} {hit:>3} / {n:<3} {:.2}  {conf}", ratio(*hit, *n));
        }
        if !spurious.is_empty() {
            let v: Vec<String> = spurious.iter().map(|(k, c)| format!("{k} {c}")).collect();
            outln!("spurious types   {}", v.join(", "));
        }
    }
    if !acled_pairs.is_empty() {
        outln!();
        outln!("== ACLED sub-event types ==");
        let (wf1, rows) = weighted_f1(&acled_pairs);
        let acc = acled_pairs
            .iter()
            .filter(|(g, p)| g.as_deref() == Some(p.as_str()))
            .count();
        let n_acled = acled_pairs.iter().filter(|(g, _)| g.is_some()).count();
        outln!(
            "weighted F1      {wf1:.3}  (over {n_acled} snippets with an ACLED gold label; weights = gold support)"
        );
        outln!(
            "accuracy         {:.3}  ({acc} of {n_acled})",
            ratio(acc, n_acled)
        );
        outln!(
            "violence on non-violence snippets  {} of {}  (Battles / Explosions / Violence against civilians produced on ORG_CRIME, disasters, DIPLO, ATTRIB)",
            nonviol.0,
            nonviol.1
        );
        for (k, (v, n)) in &nonviol_by {
            outln!("  {k:<18} {v} of {n}");
        }
        outln!();
        outln!("per class: support  P  R  F1  | gold → predicted (top)");
        for (name, support, p, r, f) in rows {
            let conf = confusion
                .get(&name)
                .map(|row| {
                    let mut v: Vec<(&String, &usize)> =
                        row.iter().filter(|(k, _)| **k != name).collect();
                    v.sort_by(|a, b| b.1.cmp(a.1));
                    v.iter()
                        .take(3)
                        .map(|(k, c)| format!("{k} {c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            outln!("  {name:<38} {support:>3}  {p:.2} {r:.2} {f:.2}  {conf}");
        }
    }
    if cameo_records > 0 {
        outln!();
        outln!("== CAMEO codes ==");
        outln!(
            "event P/R/F1     {:.3} / {:.3} / {:.3}  (codes per sentence as multisets over {} records; tp {} fp {} fn {}; PETRARCH2 0.41 on (source, target, code) triples)",
            cameo_prf.p(),
            cameo_prf.r(),
            cameo_prf.f1(),
            cameo_records,
            cameo_prf.tp,
            cameo_prf.fp,
            cameo_prf.fn_
        );
        outln!(
            "root P/R/F1      {:.3} / {:.3} / {:.3}  (two-digit root codes)",
            cameo_root.p(),
            cameo_root.r(),
            cameo_root.f1()
        );
    }
    if errors > 0 {
        cases.sort_by_key(|c| std::cmp::Reverse(c.badness));
        outln!();
        outln!("== worst {errors} cases ==");
        for c in cases.iter().filter(|c| c.badness > 0).take(errors) {
            outln!("{} (badness {})", c.id, c.badness);
            outln!("  text: {}", c.text);
            outln!("  gold: {}", c.gold.join("; "));
            if c.predicted.is_empty() {
                outln!("  got:  {NONE}");
            } else {
                for p in &c.predicted {
                    outln!("  got:  {p}");
                }
            }
        }
    }
    Ok(())
}

/// Multiset comparison: (tp, fp, fn).
fn multiset(gold: &mut Vec<String>, pred: &mut Vec<String>) -> (usize, usize, usize) {
    let mut tp = 0;
    let mut rest = Vec::new();
    for p in pred.drain(..) {
        if let Some(i) = gold.iter().position(|g| *g == p) {
            gold.remove(i);
            tp += 1;
        } else {
            rest.push(p);
        }
    }
    (tp, rest.len(), gold.len())
}

type ClassRow = (String, usize, f64, f64, f64);

/// Weighted F1 over the gold classes (gold `None` = not an ACLED class).
fn weighted_f1(pairs: &[(Option<String>, String)]) -> (f64, Vec<ClassRow>) {
    let mut support: HashMap<&str, usize> = HashMap::new();
    for (g, _) in pairs {
        if let Some(g) = g {
            *support.entry(g.as_str()).or_default() += 1;
        }
    }
    let total: usize = support.values().sum();
    let mut rows = Vec::new();
    let mut wf1 = 0.0;
    let mut classes: Vec<&str> = support.keys().copied().collect();
    classes.sort();
    for c in classes {
        let tp = pairs
            .iter()
            .filter(|(g, p)| g.as_deref() == Some(c) && p == c)
            .count();
        let fp = pairs
            .iter()
            .filter(|(g, p)| g.as_deref() != Some(c) && p == c)
            .count();
        let fn_ = support[c] - tp;
        let prf = Prf { tp, fp, fn_ };
        wf1 += prf.f1() * support[c] as f64;
        rows.push((c.to_string(), support[c], prf.p(), prf.r(), prf.f1()));
    }
    (wf1 / total.max(1) as f64, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_normalise_odd_codes() {
        assert_eq!(block("JAP"), "JPN");
        assert_eq!(block("AFG***"), "AFG");
        assert_eq!(block("EUR"), "IGO");
        assert_eq!(block("---GOV"), "---");
        assert_eq!(
            gold_blocks(Some("HUNGOV|ROUGOV")),
            Some(vec!["HUN".to_string(), "ROU".to_string()])
        );
        assert_eq!(gold_blocks(Some("")), None);
    }

    #[test]
    fn weighted_f1_weights_by_support() {
        let pairs = vec![
            (Some("Attack".to_string()), "Attack".to_string()),
            (Some("Attack".to_string()), "Armed clash".to_string()),
            (Some("Armed clash".to_string()), "Armed clash".to_string()),
            (None, "Attack".to_string()),
        ];
        let (f, rows) = weighted_f1(&pairs);
        // Attack: tp1 fp1 fn1 → F1 0.5 (support 2); Armed clash: tp1 fp1 fn0 → 0.667 (support 1)
        assert!((f - (0.5 * 2.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9, "{f}");
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn runs_on_a_small_gold_file_of_each_kind() {
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("gold.jsonl");
        let lines = [
            r#"{"id":"p1","text":"Estonian troops attacked Latvian border guards on Monday.","events":[{"type":"FIGHT","plover":"ASSAULT","source_actor":"ESTMIL","target_actor":"LVAMIL"}],"meta":{"dataset":"mine","date_placeholder":"2001-05-02"}}"#,
            r#"{"id":"c1","text":"Gunmen threw a grenade at a bus in Kampala, killing two.","events":[{"type":"GRENADE"}],"meta":{"dataset":"case2021_mine"}}"#,
            r#"{"id":"c2","text":"A fire destroyed a warehouse in Lyon after a gas leak.","events":[{"type":"MAN_MADE_DISASTER"}],"meta":{"dataset":"case2021_mine"}}"#,
            r#"{"id":"u1","text":"Norway praised Sweden.","events":[{"type":"051","cameo":"051"}],"meta":{"dataset":"petrarch2_mine","story_date":"19950101","expect_error":false}}"#,
        ];
        std::fs::write(&gold, lines.join("\n")).unwrap();
        run(&gold, &DictFiles::default(), 3).unwrap();
        let bad = dir.path().join("bad.jsonl");
        std::fs::write(&bad, "{not json}\n").unwrap();
        let err = run(&bad, &DictFiles::default(), 0).unwrap_err();
        assert!(format!("{err:#}").contains("bad.jsonl:1"), "{err:#}");
    }

    #[test]
    fn multiset_counts() {
        let mut g = vec!["064".to_string(), "033".to_string()];
        let mut p = vec!["033".to_string(), "033".to_string()];
        assert_eq!(multiset(&mut g, &mut p), (1, 1, 1));
    }
}
