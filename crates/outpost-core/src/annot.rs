//! Annotations of an article: sentences, tokens, dates, actor and place mentions.
//!
//! All spans here (`start`, `end`) are **byte** offsets into [`crate::Article::text`], so
//! slicing `&article.text[start..end]` gives the mention. Output contracts that promise
//! character offsets convert with [`char_offset`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::doc::Article;
use crate::event::{DatePrecision, Location};

/// Converts a byte offset in `text` to a character (Unicode scalar value) offset.
/// Offsets that do not fall on a character boundary are rounded down.
pub fn char_offset(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].chars().count()
}

/// A word or punctuation token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Byte offset of the first byte in the article text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The token as written.
    pub text: String,
    /// Lower-cased form, for dictionary look-ups.
    pub lower: String,
}

/// A date expression and the calendar date it resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Byte span in the article text.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// The expression as written ("on Saturday", "next month").
    pub text: String,
    /// First day of the period meant.
    pub date: NaiveDate,
    /// How much of `date` is meaningful.
    pub precision: DatePrecision,
    /// True when resolved against the publication date ("on Friday", "last week").
    pub relative: bool,
}

/// What kind of expression named an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A country name ("Russia").
    Country,
    /// A demonym or country adjective ("Tajik", "Afghan").
    Demonym,
    /// A capital standing for a government ("Moscow", "the Kabul government").
    Capital,
    /// A named organisation or armed group (NATO, the Taliban, the UN).
    Organisation,
    /// A role noun phrase ("defence minister", "troops", "protesters").
    Role,
    /// A named person ("Sergei Shoigu", later "Shoigu").
    Person,
    /// A pronoun or other reference resolved to an earlier actor ("his Tajik counterpart").
    Reference,
}

/// A mention of an actor, with its code resolved as far as the text allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorMention {
    /// Byte span in the article text of the whole actor phrase.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// The phrase as written ("Russian defense Minister Sergei Shoigu").
    pub text: String,
    /// CAMEO-style code: country (or `---`/group) then sector blocks, e.g. `RUSGOVMIL`.
    pub code: String,
    /// ISO 3166-1 alpha-3 country, or a PLOVER pseudo-country (`IGO`, `UNO`, `NGO`, …).
    pub country: Option<String>,
    /// Primary sector (GOV, MIL, COP, REB, OPP, CVL, JUD, LEG, MED, …).
    pub sector: Option<String>,
    /// A person's or organisation's name when known ("Sergei Shoigu", "Taliban").
    pub name: Option<String>,
    /// The kind of expression.
    pub kind: ActorKind,
}

/// A mention of a place, resolved to a location when the gazetteer knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    /// Byte span in the article text.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// The place name as written.
    pub text: String,
    /// Feature kind: `country`, `region`, `city`, `border`, …
    pub feature: String,
    /// The resolved location, if any.
    pub location: Option<Location>,
}

/// One sentence with everything annotate found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotatedSentence {
    /// 0-based position of the sentence in the article.
    pub index: usize,
    /// Byte span of the sentence in the article text.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// The sentence text (equal to `article.text[start..end]`).
    pub text: String,
    /// Paragraph number (0-based) the sentence belongs to.
    pub paragraph: usize,
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Date expressions.
    pub dates: Vec<DateMention>,
    /// Actor mentions, in text order, not overlapping.
    pub actors: Vec<ActorMention>,
    /// Place mentions, in text order, not overlapping.
    pub places: Vec<PlaceMention>,
}

/// An article with its annotated sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotatedDoc {
    /// The article annotated.
    pub article: Article,
    /// Its sentences, in order.
    pub sentences: Vec<AnnotatedSentence>,
    /// Place standing in the dateline ("KABUL (Reuters) -"), if any.
    pub dateline: Option<PlaceMention>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offset_counts_scalars() {
        let t = "Zürich – Kabul";
        let b = t.find("Kabul").unwrap_or(0);
        assert_eq!(char_offset(t, b), 9);
        assert_eq!(char_offset(t, 2), 1); // inside 'ü' rounds down
    }
}
