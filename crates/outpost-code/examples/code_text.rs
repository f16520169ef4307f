//! Codes a plain-text article and prints its events as JSON lines.
//!
//! Usage: `cargo run -p outpost-code --example code_text -- FILE [--debug]`
//! FILE: first line `date YYYY-MM-DD`, the rest is the article body (paragraphs separated
//! by blank lines). `--debug` also prints every sentence's actors, dates and places.
//! `--lines`: every further line of FILE is a separate one-paragraph article; each event is
//! printed with `"line": N` (1-based line of FILE) added.

use std::process::ExitCode;

use outpost_core::{Article, id::text_fingerprint};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let debug = args.iter().any(|a| a == "--debug");
    let lines = args.iter().any(|a| a == "--lines");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: code_text FILE [--debug]");
        return ExitCode::from(2);
    };
    let raw = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    let (first, body) = raw.split_once('\n').unwrap_or((raw.as_str(), ""));
    let date = first
        .trim()
        .strip_prefix("date ")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    let (date, body) = match date {
        Some(d) => (Some(d), body.trim().to_string()),
        None => (None, raw.trim().to_string()),
    };
    let annotator = match outpost_annotate::Annotator::builtin() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("annotator: {e}");
            return ExitCode::from(1);
        }
    };
    let coder = match outpost_code::Coder::builtin() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("coder: {e}");
            return ExitCode::from(1);
        }
    };
    let bodies: Vec<(usize, String)> = if lines {
        body.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 2, l.trim().to_string()))
            .collect()
    } else {
        vec![(0, body)]
    };
    for (line, body) in bodies {
        let article = Article {
            id: text_fingerprint(&body),
            source: path.clone(),
            title: None,
            date,
            modified: None,
            authors: Vec::new(),
            site: None,
            url: None,
            language: Some("en".into()),
            wire: None,
            text: body,
        };
        print_events(&annotator, &coder, &article, debug, lines.then_some(line));
    }
    ExitCode::SUCCESS
}

fn print_events(
    annotator: &outpost_annotate::Annotator,
    coder: &outpost_code::Coder,
    article: &Article,
    debug: bool,
    line: Option<usize>,
) {
    let doc = annotator.annotate(article);
    if debug {
        for s in &doc.sentences {
            eprintln!("[{}] {}", s.index, s.text);
            for a in &s.actors {
                eprintln!(
                    "    actor {:?} {} {:?} {:?}",
                    a.text, a.code, a.kind, a.name
                );
            }
            for d in &s.dates {
                eprintln!("    date {:?} {} {:?}", d.text, d.date, d.precision);
            }
            for p in &s.places {
                eprintln!(
                    "    place {:?} {} {}",
                    p.text,
                    p.feature,
                    p.location.as_ref().map(|l| l.name.as_str()).unwrap_or("-")
                );
            }
        }
    }
    for ev in coder.code(&doc) {
        let mut v = match serde_json::to_value(&ev) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("serialise: {e}");
                continue;
            }
        };
        if let (Some(n), Some(obj)) = (line, v.as_object_mut()) {
            obj.insert("line".into(), n.into());
        }
        println!("{v}");
    }
}
