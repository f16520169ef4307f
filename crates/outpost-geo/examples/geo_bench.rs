//! `cargo run --release -p outpost-geo --example geo_bench -- GOLD.jsonl [--gold-spans] [--errors N]`
//! (the same report as `outpost bench geo`).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let gold = args
        .first()
        .ok_or("usage: geo_bench GOLD.jsonl [--gold-spans] [--errors N]")?;
    let spans = args.iter().any(|a| a == "--gold-spans");
    let errors = args
        .iter()
        .position(|a| a == "--errors")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(0);
    let g = outpost_geo::Gazetteer::builtin()?;
    let r = outpost_geo::bench::run(std::path::Path::new(gold), &g, spans, errors)?;
    print!("{r}");
    Ok(())
}
