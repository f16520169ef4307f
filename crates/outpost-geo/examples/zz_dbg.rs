// scratch (to delete)
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let g = outpost_geo::Gazetteer::builtin().unwrap();
    let f = std::fs::read_to_string(&args[0]).unwrap();
    for line in f.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["id"] != args[1].as_str() {
            continue;
        }
        let text = v["text"].as_str().unwrap();
        let idx: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let spans: Vec<(usize, usize)> = v["toponyms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    idx[t["start"].as_u64().unwrap() as usize],
                    idx[t["end"].as_u64().unwrap() as usize],
                )
            })
            .collect();
        let locs = g.resolve_spans(text, &spans);
        for ((s, e), l) in spans.iter().zip(locs) {
            println!(
                "GOLD {:?} -> {:?}",
                &text[*s..*e],
                l.map(|l| (l.name, l.country, l.lat, l.lon))
            );
        }
        for m in g.geoparse(text) {
            println!(
                "FOUND {:?} {} -> {:?}",
                m.text,
                m.feature,
                m.location.map(|l| (l.name, l.country, l.precision))
            );
        }
    }
}
