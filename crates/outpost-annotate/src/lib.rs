//! Annotate: [`Article`] → [`AnnotatedDoc`].
//!
//! What this stage does, per article:
//! - splits the text into paragraphs (blank lines) and sentences, surviving abbreviations
//!   ("U.S.", "Gen.", "Jan. 5"), initials, decimals, quotes and datelines;
//! - tokenises each sentence (words, numbers, punctuation);
//! - finds date expressions and resolves them against the publication date
//!   ([`resolve_dates`]);
//! - finds actor mentions from the dictionaries `dict/actors.tsv` and `dict/roles.tsv`
//!   (format in `dict/README.md`), assembling modifier + role + name phrases into one
//!   CAMEO-style code, with surname coreference inside the article;
//! - finds place mentions with [`outpost_geo::Gazetteer`] (the publisher's country, from a
//!   country-code domain in the article's URL, as weak context) and the dateline's place;
//! - picks the meaning of an ambiguous phrase ("RSF") by the article's countries, and gives
//!   actors without a country one from a place in their own phrase ("police in Bishkek") or
//!   from the article (dateline, or the single country it is about) — see `context.rs`.
//!
//! What it does not do: decide which actor did what (the coder does), parse syntax,
//! resolve references beyond "counterpart", "its/whose government", a bare "ministry"
//! and repeated surnames, or recognise people it was not told about by a role word or a
//! dictionary entry. All spans are byte offsets into `article.text`.

mod actors;
mod context;
mod dates;
mod dict;
mod text;

use std::path::{Path, PathBuf};

use outpost_core::{AnnotatedDoc, AnnotatedSentence, Article, DateMention, PlaceMention};
use outpost_geo::Gazetteer;

pub use dates::resolve_dates;

use dict::{Lexicon, Section};

const BUILTIN_ACTORS: &str = include_str!("../../../dict/actors.tsv");
const BUILTIN_ROLES: &str = include_str!("../../../dict/roles.tsv");

/// Errors from building an [`Annotator`].
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    /// A broken dictionary line.
    #[error("{file}:{line}: {message}")]
    Dict {
        /// The file (or `builtin actors.tsv`) the line is in.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A user dictionary could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path given.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The phrase matcher could not be built.
    #[error("building the dictionary matcher: {0}")]
    Matcher(String),
    /// The gazetteer could not be loaded.
    #[error("gazetteer: {0}")]
    Geo(#[from] outpost_geo::GeoError),
}

/// The annotate stage: dictionaries, matcher and gazetteer, loaded once and shared.
#[derive(Debug, Clone)]
pub struct Annotator {
    lex: Lexicon,
    /// Dictionary texts in load order (file name, text, default section), so a user file
    /// can be appended and the matcher rebuilt.
    sources: Vec<(String, String, Section)>,
    geo: Gazetteer,
}

impl Annotator {
    /// The built-in dictionaries (embedded `dict/actors.tsv`, `dict/roles.tsv`) and the
    /// built-in gazetteer.
    pub fn builtin() -> Result<Annotator, AnnotateError> {
        Self::from_parts(
            vec![
                (
                    "builtin actors.tsv".into(),
                    BUILTIN_ACTORS.into(),
                    Section::Actors,
                ),
                (
                    "builtin roles.tsv".into(),
                    BUILTIN_ROLES.into(),
                    Section::Roles,
                ),
            ],
            Gazetteer::builtin()?,
        )
    }

    fn from_parts(
        sources: Vec<(String, String, Section)>,
        geo: Gazetteer,
    ) -> Result<Annotator, AnnotateError> {
        let mut lex = Lexicon::new();
        for (name, text, section) in &sources {
            lex.add_text(name, text, *section)?;
        }
        lex.compile()?;
        Ok(Annotator { lex, sources, geo })
    }

    /// Adds a user dictionary: a file in the `actors.tsv` or `roles.tsv` format (chosen by
    /// a `[actors]`/`[roles]` line, else by the file name: names starting with `roles` are
    /// roles), or a directory holding `actors.tsv` and/or `roles.tsv`. User entries add to
    /// the built-in ones; a phrase the user lists again replaces the built-in meaning.
    pub fn with_user_dict(self, path: &Path) -> Result<Annotator, AnnotateError> {
        let mut sources = self.sources;
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| AnnotateError::Io {
                path: p.to_path_buf(),
                source,
            })
        };
        if path.is_dir() {
            let mut found = false;
            for (file, section) in [
                ("actors.tsv", Section::Actors),
                ("roles.tsv", Section::Roles),
            ] {
                let p = path.join(file);
                if p.is_file() {
                    sources.push((p.display().to_string(), read(&p)?, section));
                    found = true;
                }
            }
            if !found {
                return Err(AnnotateError::Io {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "directory holds neither actors.tsv nor roles.tsv",
                    ),
                });
            }
        } else {
            let text = read(path)?;
            let fname = path
                .file_name()
                .map(|f| f.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let section = if fname.starts_with("roles") {
                Section::Roles
            } else {
                Section::Actors
            };
            sources.push((path.display().to_string(), text, section));
        }
        Self::from_parts(sources, self.geo)
    }

    /// Adds a user dictionary given as text: `name` is used in line-numbered errors, lines
    /// before any `[actors]`/`[roles]` header are actor lines unless `roles` is true.
    pub fn with_user_text(
        self,
        name: &str,
        text: &str,
        roles: bool,
    ) -> Result<Annotator, AnnotateError> {
        let mut sources = self.sources;
        let section = if roles {
            Section::Roles
        } else {
            Section::Actors
        };
        sources.push((name.to_string(), text.to_string(), section));
        Self::from_parts(sources, self.geo)
    }

    /// Annotates one article: sentences with tokens, dates, actors and places, and the
    /// dateline's place.
    pub fn annotate(&self, article: &Article) -> AnnotatedDoc {
        let text = article.text.as_str();
        let spans = text::sentence_spans(text);
        // the publisher's country (a country-code domain such as `.ie`) is weak context
        let publisher = outpost_geo::publisher_context(article.url.as_deref());
        let places = self.geo.find_in(text, &publisher);
        let dateline = self.dateline(text, &places);
        let dl_span = dateline.as_ref().map(|d| (d.start, d.end));
        let mut state = actors::DocState::default();
        for p in places.iter().chain(dateline.iter()) {
            if let Some(c) = p.location.as_ref().and_then(|l| l.country.as_ref())
                && !state.context.contains(c)
            {
                state.context.push(c.clone());
            }
        }
        let mut sentences = Vec::with_capacity(spans.len());
        for (index, &(start, end, paragraph)) in spans.iter().enumerate() {
            let s = &text[start..end];
            let tokens = text::tokenize(s, start);
            let dates: Vec<DateMention> = dates::resolve_dates_in(s, start, &tokens, article.date);
            let skip = dl_span
                .filter(|&(a, b)| a >= start && b <= end)
                .map(|(a, b)| (a - start, b - start));
            let actors = actors::sentence_actors(&self.lex, s, start, skip, &mut state);
            for a in &actors {
                if let Some(c) = &a.country
                    && !state.context.contains(c)
                {
                    state.context.push(c.clone());
                }
            }
            let sent_places: Vec<PlaceMention> = places
                .iter()
                .filter(|p| p.start >= start && p.end <= end)
                .cloned()
                .collect();
            sentences.push(AnnotatedSentence {
                index,
                start,
                end,
                text: s.to_string(),
                paragraph,
                tokens,
                dates,
                actors,
                places: sent_places,
            });
        }
        let mut doc = AnnotatedDoc {
            article: article.clone(),
            sentences,
            dateline,
        };
        context::apply(&mut doc);
        doc
    }

    /// The place of a dateline at the start of the first paragraph, if any.
    fn dateline(&self, text: &str, places: &[PlaceMention]) -> Option<PlaceMention> {
        // The first paragraph, or the second after a short byline-like one.
        let mut found = None;
        let mut pos = 0usize;
        for para in text.split("\n\n").take(3) {
            let lead = para.len() - para.trim_start().len();
            if let Some((s, e)) = text::dateline_span(&para[lead..]) {
                found = Some((pos + lead + s, pos + lead + e));
                break;
            }
            if !para.trim().is_empty() && para.len() > 80 {
                break;
            }
            pos += para.len() + 2;
        }
        let (s, e) = found?;
        if let Some(p) = places.iter().find(|p| p.start >= s && p.end <= e) {
            return Some(p.clone());
        }
        // The finder may not know the upper-case spelling: look the title-cased name up.
        let name = text::title_case(&text[s..e]);
        let found = self.geo.find(&name);
        let p = found
            .into_iter()
            .find(|p| p.start == 0 && p.end == name.len())?;
        Some(PlaceMention {
            start: s,
            end: e,
            text: text[s..e].to_string(),
            ..p
        })
    }
}

/// Byte spans of the sentences of `text` (paragraphs split on blank lines).
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    text::sentence_spans(text)
        .into_iter()
        .map(|(s, e, _)| (s, e))
        .collect()
}
