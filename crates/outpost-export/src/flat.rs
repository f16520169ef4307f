//! Flat rows: one row per event with plain columns, shared by the CSV and Parquet formats.
//!
//! Columns, in order ([`COLUMNS`]): `id`, `date` (first day of the period, `YYYY-MM-DD`;
//! empty when undated), `date_precision`, `plover`, `mode`, `cameo`, `goldstein`,
//! `quad_class`, `acled_event_type`, `acled_sub_event_type`, `status`, `source_code`,
//! `source_country`, `source_sector`, `source_name`, `source_text`, `target_*` (same five),
//! `parties` (codes of all parties of a compound event, `|`-separated), `location_name`,
//! `location_country`, `location_admin1`, `location_lat`, `location_lon`,
//! `location_geonameid`, `location_precision`, `evidence_article_id`,
//! `evidence_sentence` (0-based), `evidence_text`, `evidence_trigger`, `confidence`, `url`
//! (the article URL, else its source reference). Missing values are empty cells in CSV and
//! nulls in Parquet. CSV quoting follows RFC 4180 (fields with commas, quotes or line
//! breaks are quoted, quotes doubled; the `csv` crate).

use std::io::Write;

use chrono::NaiveDate;
use outpost_core::{Actor, Event};

use crate::{ArticleMeta, ExportError, Sink};

/// The flat column names, in order.
pub const COLUMNS: [&str; 37] = [
    "id",
    "date",
    "date_precision",
    "plover",
    "mode",
    "cameo",
    "goldstein",
    "quad_class",
    "acled_event_type",
    "acled_sub_event_type",
    "status",
    "source_code",
    "source_country",
    "source_sector",
    "source_name",
    "source_text",
    "target_code",
    "target_country",
    "target_sector",
    "target_name",
    "target_text",
    "parties",
    "location_name",
    "location_country",
    "location_admin1",
    "location_lat",
    "location_lon",
    "location_geonameid",
    "location_precision",
    "evidence_article_id",
    "evidence_sentence",
    "evidence_text",
    "evidence_trigger",
    "confidence",
    "url",
    "evidence_start",
    "evidence_end",
];

/// One actor's flat columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlatActor {
    /// CAMEO-style code.
    pub code: Option<String>,
    /// ISO3 or pseudo-country.
    pub country: Option<String>,
    /// Sector.
    pub sector: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phrase in the text.
    pub text: Option<String>,
}

impl FlatActor {
    fn from(a: Option<&Actor>) -> FlatActor {
        match a {
            None => FlatActor::default(),
            Some(a) => FlatActor {
                code: Some(a.code.clone()),
                country: a.country.clone(),
                sector: a.sector.clone(),
                name: a.name.clone(),
                text: Some(a.text.clone()),
            },
        }
    }
}

/// One event as typed flat columns.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatRow {
    /// Event id.
    pub id: String,
    /// First day of the event's period.
    pub date: Option<NaiveDate>,
    /// `day`, `week`, `month` or `year`.
    pub date_precision: Option<String>,
    /// PLOVER type.
    pub plover: String,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// Goldstein value.
    pub goldstein: f64,
    /// QuadClass 1–4.
    pub quad_class: u8,
    /// ACLED event type.
    pub acled_event_type: Option<String>,
    /// ACLED sub-event type.
    pub acled_sub_event_type: Option<String>,
    /// Status name.
    pub status: String,
    /// The source actor.
    pub source: FlatActor,
    /// The target actor.
    pub target: FlatActor,
    /// Codes of all parties, `|`-separated.
    pub parties: Option<String>,
    /// Location name.
    pub location_name: Option<String>,
    /// Location ISO3 country.
    pub location_country: Option<String>,
    /// Location admin1 name.
    pub location_admin1: Option<String>,
    /// Latitude.
    pub location_lat: Option<f64>,
    /// Longitude.
    pub location_lon: Option<f64>,
    /// GeoNames id.
    pub location_geonameid: Option<u64>,
    /// Location precision.
    pub location_precision: Option<String>,
    /// Article id.
    pub evidence_article_id: String,
    /// 0-based sentence index.
    pub evidence_sentence: u64,
    /// Sentence text.
    pub evidence_text: String,
    /// Trigger words.
    pub evidence_trigger: String,
    /// Coder confidence 0–1.
    pub confidence: f64,
    /// Article URL or source reference.
    pub url: Option<String>,
    /// Character offset of the trigger in the article.
    pub evidence_start: u64,
    /// Character offset one past the trigger's end.
    pub evidence_end: u64,
}

impl FlatRow {
    /// Flattens an event (with its article's metadata).
    pub fn new(e: &Event, meta: &ArticleMeta) -> FlatRow {
        let loc = e.location.as_ref();
        let url = meta.url_or_source();
        FlatRow {
            id: e.id.clone(),
            date: e.date.map(|d| d.date),
            date_precision: e
                .date_precision
                .or(e.date.map(|d| d.precision))
                .map(|p| p.as_str().to_string()),
            plover: e.plover.clone(),
            mode: e.mode.clone(),
            cameo: e.cameo.clone(),
            goldstein: e.goldstein,
            quad_class: e.quad_class,
            acled_event_type: e.acled.as_ref().map(|a| a.event_type.clone()),
            acled_sub_event_type: e.acled.as_ref().map(|a| a.sub_event_type.clone()),
            status: e.status.as_str().to_string(),
            source: FlatActor::from(Some(&e.source)),
            target: FlatActor::from(e.target.as_ref()),
            parties: (!e.parties.is_empty()).then(|| {
                e.parties
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            }),
            location_name: loc.map(|l| l.name.clone()),
            location_country: loc.and_then(|l| l.country.clone()),
            location_admin1: loc.and_then(|l| l.admin1.clone()),
            location_lat: loc.map(|l| l.lat),
            location_lon: loc.map(|l| l.lon),
            location_geonameid: loc.and_then(|l| l.geonameid),
            location_precision: loc.map(|l| l.precision.clone()),
            evidence_article_id: e.evidence.article_id.clone(),
            evidence_sentence: e.evidence.sentence as u64,
            evidence_text: e.evidence.text.clone(),
            evidence_trigger: e.evidence.trigger.clone(),
            confidence: e.confidence,
            url: (!url.is_empty()).then(|| url.to_string()),
            evidence_start: e.evidence.start as u64,
            evidence_end: e.evidence.end as u64,
        }
    }

    /// The row as text cells, in [`COLUMNS`] order (missing values empty).
    pub fn cells(&self) -> Vec<String> {
        fn o(s: &Option<String>) -> String {
            s.clone().unwrap_or_default()
        }
        fn of<T: ToString>(v: Option<T>) -> String {
            v.map(|v| v.to_string()).unwrap_or_default()
        }
        let actor = |a: &FlatActor| {
            [
                o(&a.code),
                o(&a.country),
                o(&a.sector),
                o(&a.name),
                o(&a.text),
            ]
        };
        let mut c = vec![
            self.id.clone(),
            of(self.date.map(|d| d.format("%Y-%m-%d"))),
            o(&self.date_precision),
            self.plover.clone(),
            o(&self.mode),
            self.cameo.clone(),
            self.goldstein.to_string(),
            self.quad_class.to_string(),
            o(&self.acled_event_type),
            o(&self.acled_sub_event_type),
            self.status.clone(),
        ];
        c.extend(actor(&self.source));
        c.extend(actor(&self.target));
        c.extend([
            o(&self.parties),
            o(&self.location_name),
            o(&self.location_country),
            o(&self.location_admin1),
            of(self.location_lat),
            of(self.location_lon),
            of(self.location_geonameid),
            o(&self.location_precision),
            self.evidence_article_id.clone(),
            self.evidence_sentence.to_string(),
            self.evidence_text.clone(),
            self.evidence_trigger.clone(),
            self.confidence.to_string(),
            o(&self.url),
            self.evidence_start.to_string(),
            self.evidence_end.to_string(),
        ]);
        c
    }
}

/// Writes the CSV format.
pub(crate) struct CsvSink<'w> {
    w: csv::Writer<&'w mut dyn Write>,
}

impl<'w> CsvSink<'w> {
    /// A sink that has written the header row.
    pub(crate) fn new(out: &'w mut dyn Write) -> Result<Self, ExportError> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(COLUMNS)?;
        Ok(CsvSink { w })
    }
}

impl Sink for CsvSink<'_> {
    fn event(&mut self, e: &Event, meta: &ArticleMeta) -> Result<bool, ExportError> {
        self.w.write_record(FlatRow::new(e, meta).cells())?;
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<(), ExportError> {
        self.w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        let mut buf = Vec::new();
        {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut buf as &mut dyn Write);
            w.write_record(["plain", "a,b", "say \"hi\"", "two\nlines", ""])
                .unwrap();
            w.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }

    #[test]
    fn column_list_matches_cells() {
        let e: Event = serde_json::from_value(serde_json::json!({
            "id": "x", "date": null, "date_precision": null, "plover": "AID", "mode": null,
            "cameo": "07", "goldstein": 7.0, "quad_class": 2, "acled": null,
            "status": "occurred",
            "source": {"text": "a", "code": "USA", "country": "USA", "sector": null, "name": null},
            "target": null, "location": null,
            "evidence": {"article_id": "a1", "sentence": 0, "text": "t", "trigger": "g",
                         "start": 0, "end": 1, "sentence_start": 0, "sentence_end": 1},
            "confidence": 0.5
        }))
        .unwrap();
        let cells = FlatRow::new(&e, &ArticleMeta::default()).cells();
        assert_eq!(cells.len(), COLUMNS.len());
        assert_eq!(cells[0], "x");
        assert_eq!(cells[1], "");
        assert_eq!(cells[11], "USA");
    }
}
