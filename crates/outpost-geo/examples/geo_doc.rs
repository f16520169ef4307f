//! Prints what `geoparse` finds in the articles of a gold JSONL file (one JSON line per
//! article: id and mentions with code-point offsets), for debugging.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: geo_doc GOLD.jsonl [ID]")?;
    let g = outpost_geo::Gazetteer::builtin()?;
    for line in std::fs::read_to_string(path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if args
            .get(1)
            .is_some_and(|id| v["id"].as_str() != Some(id.as_str()))
        {
            continue;
        }
        let text = v["text"].as_str().unwrap_or("");
        let cp = |b: usize| text[..b].chars().count();
        let ms: Vec<serde_json::Value> = g
            .geoparse(text)
            .iter()
            .map(|m| {
                let l = m.location.as_ref();
                serde_json::json!({"start": cp(m.start), "end": cp(m.end), "text": m.text,
                    "feature": m.feature, "name": l.map(|l| l.name.clone()),
                    "country": l.and_then(|l| l.country.clone()),
                    "lat": l.map(|l| l.lat), "lon": l.map(|l| l.lon)})
            })
            .collect();
        println!("{}", serde_json::json!({"id": v["id"], "mentions": ms}));
    }
    Ok(())
}
