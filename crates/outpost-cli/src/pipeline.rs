//! The pipeline wired once: extract → annotate → code, shared by every command.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use outpost_annotate::Annotator;
use outpost_code::Coder;
use outpost_core::{Article, Event, RawDoc};
use outpost_extract::{ExtractError, Extractor};

/// The loaded stages.
pub struct Pipeline {
    extractor: Extractor,
    annotator: Annotator,
    coder: Coder,
}

/// User dictionaries that extend or override the built-in ones.
#[derive(Debug, Default, Clone)]
pub struct DictFiles {
    /// Extra actor entries (format of `dict/actors.tsv`).
    pub actors: Vec<PathBuf>,
    /// Extra verb/event entries (format of `dict/verbs.tsv`).
    pub verbs: Vec<PathBuf>,
}

impl Pipeline {
    /// Loads every stage with the built-in dictionaries plus the user's files.
    pub fn load(max_bytes: u64, dicts: &DictFiles) -> Result<Pipeline> {
        let t = Instant::now();
        let mut annotator = Annotator::builtin().context("loading the actor dictionaries")?;
        for p in &dicts.actors {
            annotator = annotator
                .with_user_dict(p)
                .with_context(|| format!("loading actor dictionary {}", p.display()))?;
        }
        let mut coder = Coder::builtin().context("loading the event dictionaries")?;
        for p in &dicts.verbs {
            coder = coder
                .with_user_dict(p)
                .with_context(|| format!("loading event dictionary {}", p.display()))?;
        }
        let extractor =
            Extractor::new().with_max_bytes(usize::try_from(max_bytes).unwrap_or(usize::MAX));
        tracing_debug(&format!("dictionaries loaded in {:?}", t.elapsed()));
        Ok(Pipeline {
            extractor,
            annotator,
            coder,
        })
    }

    /// Raw bytes to article.
    pub fn extract(&self, raw: &RawDoc) -> Result<Article, ExtractError> {
        self.extractor.extract(raw)
    }

    /// Article to coded events.
    pub fn code(&self, article: &Article) -> Vec<Event> {
        let doc = self.annotator.annotate(article);
        self.coder.code(&doc)
    }
}

/// Prints a debug line when `OUTPOST_DEBUG` is set.
pub fn tracing_debug(msg: &str) {
    if std::env::var_os("OUTPOST_DEBUG").is_some() {
        eprintln!("debug: {msg}");
    }
}
