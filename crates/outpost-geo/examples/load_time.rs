//! Prints how long loading the embedded gazetteer takes (release build recommended).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let g = outpost_geo::Gazetteer::builtin_uncached()?;
        println!("{} places loaded in {:?}", g.len(), t.elapsed());
    }
    Ok(())
}
