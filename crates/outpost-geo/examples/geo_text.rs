//! Prints what `geoparse` finds in the text given as argument (debugging aid).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::env::args().nth(1).unwrap_or_default();
    let g = outpost_geo::Gazetteer::builtin()?;
    for m in g.geoparse(&text) {
        let l = m.location.as_ref();
        println!(
            "{:?} {} {:?} {:?}",
            m.text,
            m.feature,
            l.map(|l| &l.name),
            l.and_then(|l| l.country.as_deref())
        );
    }
    Ok(())
}
