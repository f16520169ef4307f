//! The types that flow through Outpost's pipeline, defined once.
//!
//! Data moves one way: [`RawDoc`] (ingest) → [`Article`] (extract) → [`AnnotatedDoc`]
//! (annotate) → [`Event`] (code) → store / serve. Every stage depends on this crate and on
//! the stages before it, never on a later one. This crate holds no logic beyond ids,
//! date formatting and small helpers on the types themselves.

pub mod annot;
pub mod doc;
pub mod event;
pub mod id;

pub use annot::{
    ActorKind, ActorMention, AnnotatedDoc, AnnotatedSentence, DateMention, PlaceMention, Token,
};
pub use doc::{Article, RawDoc};
pub use event::{
    Acled, Actor, AggregateRef, DatePrecision, Event, EventDate, Evidence, Location, Status,
};
