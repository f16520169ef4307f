//! The pipeline wired once: extract → annotate → code, shared by every command.
//!
//! User dictionaries (`--dict FILE`, repeatable) are single files with section lines
//! `[actors]`, `[roles]`, `[verbs]`, `[cues]` (format in `dict/README.md`, "Your own
//! dictionary"). Actor and role lines go to the annotator, verb and cue lines to the coder;
//! every part keeps the user's line numbers, so an error reads `FILE:LINE: message`. A file
//! without section lines is routed by its name: `roles*` → roles, `verbs*` → verbs,
//! `cues*`/`event_cues*` → cues, anything else → actors.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
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
    /// Dictionary files with `[actors]`/`[roles]`/`[verbs]`/`[cues]` sections, in order.
    pub files: Vec<PathBuf>,
}

/// The sections of a user dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Actors,
    Roles,
    Verbs,
    Cues,
}

/// One user dictionary split by destination, each part as long as the file (lines of the
/// other parts blanked) so line numbers stay the user's.
#[derive(Debug, Default)]
struct SplitDict {
    /// Actor and role lines, with their `[actors]`/`[roles]` headers.
    annotate: String,
    annotate_has: bool,
    /// True when the annotator part starts in the roles section.
    roles_first: bool,
    verbs: String,
    verbs_has: bool,
    cues: String,
    cues_has: bool,
}

fn default_part(path: &Path) -> Part {
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.starts_with("roles") {
        Part::Roles
    } else if name.starts_with("verbs") {
        Part::Verbs
    } else if name.starts_with("cues") || name.starts_with("event_cues") {
        Part::Cues
    } else {
        Part::Actors
    }
}

fn split_dict(path: &Path, text: &str) -> Result<SplitDict> {
    let mut part = default_part(path);
    let mut out = SplitDict {
        roles_first: part == Part::Roles,
        ..SplitDict::default()
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let t = line.trim();
        let mut a = "";
        let mut v = "";
        let mut c = "";
        if t.starts_with('[') && t.ends_with(']') {
            part = match t {
                "[actors]" => Part::Actors,
                "[roles]" => Part::Roles,
                "[verbs]" => Part::Verbs,
                "[cues]" => Part::Cues,
                other => bail!(
                    "{}:{}: unknown section {other}: expected [actors], [roles], [verbs] or [cues]",
                    path.display(),
                    i + 1
                ),
            };
            if matches!(part, Part::Actors | Part::Roles) {
                a = t;
            }
        } else {
            let content = !t.is_empty() && !t.starts_with('#');
            match part {
                Part::Actors | Part::Roles => {
                    a = line;
                    out.annotate_has |= content;
                }
                Part::Verbs => {
                    v = line;
                    out.verbs_has |= content;
                }
                Part::Cues => {
                    c = line;
                    out.cues_has |= content;
                }
            }
        }
        for (buf, s) in [
            (&mut out.annotate, a),
            (&mut out.verbs, v),
            (&mut out.cues, c),
        ] {
            buf.push_str(s);
            buf.push('\n');
        }
    }
    Ok(out)
}

/// Loads the annotator and the coder with the built-in dictionaries plus the user's files.
pub fn load_stages(dicts: &DictFiles) -> Result<(Annotator, Coder)> {
    let mut annotator = Annotator::builtin().context("loading the actor dictionaries")?;
    let mut coder = Coder::builtin().context("loading the event dictionaries")?;
    for p in &dicts.files {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("reading dictionary {}", p.display()))?;
        let name = p.display().to_string();
        let split = split_dict(p, &text)?;
        if split.annotate_has {
            annotator = annotator
                .with_user_text(&name, &split.annotate, split.roles_first)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if split.verbs_has {
            coder = coder
                .with_user_verbs(&name, &split.verbs)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if split.cues_has {
            coder = coder
                .with_user_cues(&name, &split.cues)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok((annotator, coder))
}

impl Pipeline {
    /// Loads every stage with the built-in dictionaries plus the user's files.
    pub fn load(max_bytes: u64, dicts: &DictFiles) -> Result<Pipeline> {
        let t = Instant::now();
        let (annotator, coder) = load_stages(dicts)?;
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

    /// Article to coded events, with `id` as the article id (`evidence.article_id`), e.g.
    /// the `id` of a JSONL input record (`outpost code --jsonl`).
    pub fn code_with_id(&self, article: &Article, id: &str) -> Vec<Event> {
        if article.id == id {
            return self.code(article);
        }
        let mut a = article.clone();
        a.id = id.to_string();
        self.code(&a)
    }
}

/// Prints a debug line when `OUTPOST_DEBUG` is set.
pub fn tracing_debug(msg: &str) {
    if std::env::var_os("OUTPOST_DEBUG").is_some() {
        eprintln!("debug: {msg}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        Article {
            id: "x".into(),
            source: "x".into(),
            title: None,
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2),
            modified: None,
            authors: Vec::new(),
            site: None,
            url: None,
            language: Some("en".into()),
            wire: None,
            text: text.into(),
        }
    }

    #[test]
    fn split_keeps_line_numbers_and_routes_sections() {
        let text = "# mine\n[actors]\nA\n[verbs]\nV\n[cues]\nC\n[roles]\nR\n";
        let s = split_dict(Path::new("my.tsv"), text).unwrap();
        assert_eq!(s.annotate.lines().count(), text.lines().count());
        assert_eq!(s.annotate.lines().nth(2), Some("A"));
        assert_eq!(s.annotate.lines().nth(8), Some("R"));
        assert_eq!(s.verbs.lines().nth(4), Some("V"));
        assert_eq!(s.cues.lines().nth(6), Some("C"));
        assert!(s.verbs.lines().nth(2).is_some_and(str::is_empty));
        let err = split_dict(Path::new("my.tsv"), "x\n[places]\n").unwrap_err();
        assert!(err.to_string().starts_with("my.tsv:2:"), "{err}");
        assert_eq!(default_part(Path::new("/a/verbs-extra.tsv")), Part::Verbs);
        assert_eq!(default_part(Path::new("roles.tsv")), Part::Roles);
    }

    #[test]
    fn user_dictionary_adds_an_actor_and_a_verb() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Grauland's Federal Guard hexed the Veltrian envoy on Monday.";
        let base = Pipeline::load(1 << 20, &DictFiles::default()).unwrap();
        let before = base.code(&article(text));
        assert!(
            !before.iter().any(|e| e.cameo == "172"),
            "built-ins know no 'hexed': {before:?}"
        );
        let p = dir.path().join("mine.tsv");
        std::fs::write(
            &p,
            "# my additions\n[actors]\nGRLMIL\tGRL\tMIL\torg\tFederal Guard\tFederal Guard\n\
             VLTGOV\tVLT\tGOV\torg\tVeltrian envoy\tVeltrian envoy\n\
             [verbs]\nhexed\t172\tCOERCE\t-\t-\t-\n",
        )
        .unwrap();
        let pl = Pipeline::load(1 << 20, &DictFiles { files: vec![p] }).unwrap();
        let after = pl.code(&article(text));
        let ev = after
            .iter()
            .find(|e| e.cameo == "172")
            .unwrap_or_else(|| panic!("{after:?}"));
        assert_eq!(ev.source.code, "GRLMIL");
        assert_eq!(ev.target.as_ref().map(|t| t.code.as_str()), Some("VLTGOV"));
        let id = pl.code_with_id(&article(text), "rec-7");
        assert!(id.iter().all(|e| e.evidence.article_id == "rec-7"));
    }

    #[test]
    fn broken_user_lines_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        for (body, line) in [
            ("[actors]\n# ok\nXXX\tonly-two\n", 3),
            ("[actors]\n\n[verbs]\n# c\nbad line without tabs\n", 5),
            ("[cues]\nnocategory-here\n", 2),
        ] {
            let p = dir.path().join("user.tsv");
            std::fs::write(&p, body).unwrap();
            let err = Pipeline::load(
                1 << 20,
                &DictFiles {
                    files: vec![p.clone()],
                },
            )
            .err()
            .unwrap_or_else(|| panic!("{body:?} should fail"));
            let want = format!("{}:{line}:", p.display());
            assert!(format!("{err:#}").contains(&want), "{err:#} / {want}");
        }
    }
}
