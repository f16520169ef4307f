//! Code stage: annotated sentences → PLOVER/CAMEO/ACLED events.
//!
//! What it does: for every sentence of [`outpost_core::AnnotatedDoc`] it finds trigger
//! patterns from the verb/event dictionary (`dict/verbs.tsv`), splits the sentence into
//! clauses on the token stream (no parser: punctuation, quotes, relative pronouns,
//! subordinators and reporting frames such as "X said" / "according to Y"), picks the source
//! (subject) and target (object) among the actor mentions annotate found, handles passive
//! voice, coordination, relative clauses, reported speech, negation, modality and
//! hypotheticals, chooses the event date (the clause's date mention, else the article date)
//! and location (the place tied to the action, else the dateline), and fills the
//! [`outpost_core::Event`] record with Goldstein/QuadClass from `dict/cameo.tsv` and an ACLED
//! event/sub-event type refined by the sentence's weapons, the course of a protest and
//! ordinary-crime words (rules in `dict/README.md`).
//!
//! What it does not do: it finds no actors, dates or places itself (annotate does), resolves
//! no pronouns beyond the reporting speaker and the antecedent of a relative pronoun, merges
//! no events across articles (aggregation does), and codes nothing outside `article.text`.
//!
//! The dictionaries are plain data files (formats in `dict/README.md`, section
//! "Verbs/events"), embedded at build time and extendable with a user file
//! ([`Coder::with_user_dict`]).

#![warn(missing_docs)]

mod cameo;
mod coder;
mod dict;
mod sentence;

use std::path::{Path, PathBuf};

pub use cameo::{CameoCode, PLOVER_TYPES};

use cameo::CameoTable;
use dict::{Cues, VerbDict};

/// The embedded CAMEO table (`dict/cameo.tsv`).
pub const BUILTIN_CAMEO: &str = include_str!("../../../dict/cameo.tsv");
/// The embedded trigger dictionary (`dict/verbs.tsv`).
pub const BUILTIN_VERBS: &str = include_str!("../../../dict/verbs.tsv");
/// The embedded clause cue words (`dict/event_cues.tsv`).
pub const BUILTIN_CUES: &str = include_str!("../../../dict/event_cues.tsv");

/// Errors loading the dictionaries.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// A dictionary file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A dictionary line is malformed (line 0 = a whole-file check).
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file name.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The event coder: dictionaries loaded once, then [`Coder::code`] per document.
#[derive(Debug, Clone)]
pub struct Coder {
    pub(crate) cameo: CameoTable,
    pub(crate) verbs: VerbDict,
    pub(crate) cues: Cues,
}

impl Coder {
    /// A coder with the embedded dictionaries.
    pub fn builtin() -> Result<Coder, CodeError> {
        let cameo = CameoTable::parse(BUILTIN_CAMEO, "dict/cameo.tsv")?;
        let mut verbs = VerbDict::default();
        verbs.parse_into(BUILTIN_VERBS, "dict/verbs.tsv", &cameo)?;
        let cues = Cues::parse(BUILTIN_CUES, "dict/event_cues.tsv")?;
        Ok(Coder { cameo, verbs, cues })
    }

    /// Adds (or overrides, by identical pattern) trigger entries from a user file in the
    /// `verbs.tsv` format; cameo `none` removes a built-in pattern.
    pub fn with_user_dict(mut self, path: &Path) -> Result<Coder, CodeError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodeError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.verbs
            .parse_into(&text, &path.display().to_string(), &self.cameo)?;
        Ok(self)
    }

    /// Adds trigger entries from `text` (the `verbs.tsv` format) read from a file called
    /// `file` (for line-numbered errors). Same rules as [`Coder::with_user_dict`].
    pub fn with_user_verbs(mut self, file: &str, text: &str) -> Result<Coder, CodeError> {
        self.verbs.parse_into(text, file, &self.cameo)?;
        Ok(self)
    }

    /// Adds clause cue words from `text` (the `event_cues.tsv` format) read from `file`.
    pub fn with_user_cues(mut self, file: &str, text: &str) -> Result<Coder, CodeError> {
        self.cues.parse_into(text, file)?;
        Ok(self)
    }

    /// Codes every sentence of the document into events (deduplicated by id).
    pub fn code(&self, doc: &outpost_core::AnnotatedDoc) -> Vec<outpost_core::Event> {
        coder::code_doc(self, doc)
    }

    /// The CAMEO table row for `code` (name, Goldstein, QuadClass, PLOVER type and mode).
    pub fn cameo(&self, code: &str) -> Option<&CameoCode> {
        self.cameo.get(code)
    }

    /// Number of trigger entries loaded (built-in plus user).
    pub fn trigger_count(&self) -> usize {
        self.verbs.entries.len()
    }
}

#[cfg(test)]
mod coder_tests;
#[cfg(test)]
mod testutil;
