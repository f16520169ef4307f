//! Prints the annotations of a plain-text file: `cargo run -p outpost-annotate --example
//! annotate -- FILE [YYYY-MM-DD]`. Paragraphs are separated by blank lines.
//!
//! With `--lines FILE`, every line is `ID<TAB>TEXT` and the output is one TSV line per
//! actor: `ID  CODE  KIND  TEXT` (for quick checks against annotated sentence sets).

use std::error::Error;

use chrono::NaiveDate;
use outpost_annotate::Annotator;
use outpost_core::Article;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--lines") {
        args.next();
        let path = args.next().ok_or("usage: annotate --lines FILE")?;
        return lines(&path);
    }
    let path = args.next().ok_or("usage: annotate FILE [YYYY-MM-DD]")?;
    let date = args
        .next()
        .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
        .transpose()?;
    let text = std::fs::read_to_string(&path)?;
    let t0 = std::time::Instant::now();
    let ann = Annotator::builtin()?;
    eprintln!("loaded in {:?}", t0.elapsed());
    let article = article(&path, date, text);
    let doc = ann.annotate(&article);
    print_doc(&doc);
    Ok(())
}

fn article(source: &str, date: Option<NaiveDate>, text: String) -> Article {
    Article {
        id: String::new(),
        source: source.into(),
        title: None,
        date,
        modified: None,
        authors: Vec::new(),
        site: None,
        url: None,
        language: Some("en".into()),
        wire: None,
        text,
    }
}

fn lines(path: &str) -> Result<(), Box<dyn Error>> {
    let ann = Annotator::builtin()?;
    let input = std::fs::read_to_string(path)?;
    let date = NaiveDate::from_ymd_opt(2021, 7, 24);
    let t0 = std::time::Instant::now();
    let mut n = 0usize;
    for line in input.lines() {
        let Some((id, text)) = line.split_once('\t') else {
            continue;
        };
        let doc = ann.annotate(&article(id, date, text.to_string()));
        n += doc.sentences.len();
        for s in &doc.sentences {
            for a in &s.actors {
                println!("{id}\t{}\t{:?}\t{}", a.code, a.kind, a.text);
            }
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "{n} sentences in {secs:.3} s = {:.0}/s",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}

fn print_doc(doc: &outpost_core::AnnotatedDoc) {
    if let Some(d) = &doc.dateline {
        println!("dateline: {} ({})", d.text, d.feature);
    }
    for s in &doc.sentences {
        println!("\n[{} p{}] {}", s.index, s.paragraph, s.text);
        for d in &s.dates {
            println!(
                "  date  {:?} → {} {:?} rel={}",
                d.text, d.date, d.precision, d.relative
            );
        }
        for a in &s.actors {
            println!(
                "  actor {:?} → {} country={:?} sector={:?} name={:?} {:?}",
                a.text, a.code, a.country, a.sector, a.name, a.kind
            );
        }
        for p in &s.places {
            let loc = p
                .location
                .as_ref()
                .map(|l| format!("{} {:?}", l.name, l.country));
            println!("  place {:?} {} → {:?}", p.text, p.feature, loc);
        }
    }
}
