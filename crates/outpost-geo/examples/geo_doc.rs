//! Prints what `geoparse` finds in one article of a gold JSONL file (by id), for debugging.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, id) = (&args[0], &args[1]);
    let g = outpost_geo::Gazetteer::builtin()?;
    for line in std::fs::read_to_string(path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if v["id"].as_str() != Some(id.as_str()) {
            continue;
        }
        let text = v["text"].as_str().unwrap_or("");
        for m in g.geoparse(text) {
            let l = m.location.as_ref();
            println!(
                "{:>6} {:<30} {:<8} {:?} {:?} {:?}",
                m.start,
                m.text,
                m.feature,
                l.map(|l| &l.name),
                l.and_then(|l| l.country.as_deref()),
                l.map(|l| (l.lat, l.lon))
            );
        }
    }
    Ok(())
}
