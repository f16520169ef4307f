//! Build script: decompresses the embedded gazetteer (`data/gazetteer.tsv.gz`), checks
//! every row and builds its name index at compile time (the same code as at run time:
//! `src/tsv.rs`, `src/index.rs`), writing `gazetteer.tsv` and `gazetteer.idx` to `OUT_DIR`
//! for `include_bytes!`. A broken row fails the build with its line number.

#[allow(dead_code)]
#[path = "src/tsv.rs"]
mod tsv;

#[allow(dead_code)]
#[path = "src/index.rs"]
mod index;

use std::io::Read;
use std::path::PathBuf;

fn main() {
    const GZ: &str = "../../data/gazetteer.tsv.gz";
    println!("cargo:rerun-if-changed={GZ}");
    println!("cargo:rerun-if-changed=src/tsv.rs");
    println!("cargo:rerun-if-changed=src/index.rs");
    if let Err(e) = run(GZ) {
        eprintln!("outpost-geo build: {e}");
        std::process::exit(1);
    }
}

fn run(gz: &str) -> Result<(), String> {
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let raw = std::fs::read(gz).map_err(|e| format!("reading {gz}: {e}"))?;
    let mut text = String::with_capacity(raw.len() * 4);
    flate2::read::GzDecoder::new(&raw[..])
        .read_to_string(&mut text)
        .map_err(|e| format!("decompressing {gz}: {e}"))?;
    let rows = tsv::parse(&text, 0, gz, false)
        .map_err(|e| format!("{} line {}: {}", e.source, e.line, e.message))?;
    let ix = index::build(&text, rows).map_err(|(line, m)| format!("{gz} line {line}: {m}"))?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("writing {name}: {e}"))
    };
    write("gazetteer.tsv", text.as_bytes())?;
    write("gazetteer.idx", &ix.to_bytes(text.len()))
}
