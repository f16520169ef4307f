//! Deduplicate: the rules that make many reports one.
//!
//! Three questions, one module each:
//!
//! * [`url`]: is this the address of a page seen before? ([`canonical_url`]: scheme, `www.`,
//!   mobile and AMP variants, tracking parameters, trailing slashes and fragments removed.)
//! * [`sketch`]: is this text a copy or a light edit of a story seen before? (MinHash
//!   [`Sketch`]es of word shingles, with LSH band keys so that finding candidates is a few
//!   index look-ups; threshold [`sketch::SAME_STORY`].)
//! * [`events`]: do these two coded events describe the same happening? (Same type and
//!   actors as one [`events::match_key`], overlapping date spans, compatible places.)
//!
//! This crate holds the rules and the sketches only: it keeps no state and touches no
//! database. The store (`outpost-store`) applies them incrementally as articles arrive:
//! it indexes band keys and match keys, so each new article costs a bounded number of
//! look-ups, and keeps the counts of each aggregated event.

pub mod events;
pub mod sketch;
pub mod url;

pub use events::{Aggregate, Span, Spot, date_span, match_key, places_compatible, spot};
pub use sketch::Sketch;
pub use url::{canonical_url, site_of};
