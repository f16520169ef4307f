//! The CAMEO code table (`dict/cameo.tsv`): names, Goldstein values, QuadClass, the PLOVER
//! crosswalk and the "intent" code used for planned cooperation.

use std::collections::HashMap;

use crate::CodeError;

/// The PLOVER event types, in the manual's order.
pub const PLOVER_TYPES: [&str; 16] = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// One row of `dict/cameo.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    /// CAMEO code, leading zeros kept ("0874").
    pub code: String,
    /// Human-readable name (GDELT lookup label).
    pub name: String,
    /// Goldstein value, −10…+10.
    pub goldstein: f64,
    /// QuadClass 1–4 of the code (GDELT convention: roots 14–20 are 4, so SANCTION is 4).
    pub quad_class: u8,
    /// PLOVER type per the 2021 crosswalk (`dropped` for CAMEO 01/02; `CONCEDE|RETREAT` for root 08).
    pub plover: String,
    /// PLOVER mode per the crosswalk, if any.
    pub mode: Option<String>,
    /// Code to use when this action is only promised or planned (03x cooperation intent,
    /// 035x intent to yield, 13x threat).
    pub intent: Option<String>,
    /// PLOVER mode that goes with `intent` (`130:arrest` in the file), if any.
    pub intent_mode: Option<String>,
}

/// All CAMEO codes by code.
#[derive(Debug, Clone, Default)]
pub(crate) struct CameoTable {
    pub(crate) codes: HashMap<String, CameoCode>,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s == "-" {
        None
    } else {
        Some(s.to_string())
    }
}

impl CameoTable {
    /// Parses the TSV text; `file` names it in errors.
    pub(crate) fn parse(text: &str, file: &str) -> Result<CameoTable, CodeError> {
        let mut codes = HashMap::new();
        let err = |line: usize, message: String| CodeError::Parse {
            file: file.to_string(),
            line,
            message,
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim_end_matches('\r');
            if l.trim().is_empty() || l.starts_with('#') || l.starts_with("code\t") {
                continue;
            }
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() < 6 {
                return Err(err(
                    line,
                    format!(
                        "expected at least 6 tab-separated columns, found {}",
                        cols.len()
                    ),
                ));
            }
            let code = cols[0].trim();
            if code.len() < 2 || code.len() > 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(line, format!("bad CAMEO code {code:?}")));
            }
            let goldstein: f64 = cols[2]
                .trim()
                .parse()
                .map_err(|_| err(line, format!("bad Goldstein value {:?}", cols[2])))?;
            if !(-10.0..=10.0).contains(&goldstein) {
                return Err(err(
                    line,
                    format!("Goldstein value {goldstein} outside -10..10"),
                ));
            }
            let quad_class: u8 = cols[3]
                .trim()
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(|| err(line, format!("bad quad_class {:?} (want 1-4)", cols[3])))?;
            let plover = cols[4].trim().to_string();
            let plover_ok =
                plover == "dropped" || plover.split('|').all(|p| PLOVER_TYPES.contains(&p));
            if !plover_ok {
                return Err(err(line, format!("unknown PLOVER type {plover:?}")));
            }
            let c = CameoCode {
                code: code.to_string(),
                name: cols[1].trim().to_string(),
                goldstein,
                quad_class,
                plover,
                mode: opt(cols[5]),
                intent: None,
                intent_mode: None,
            };
            let mut c = c;
            if let Some(i) = cols.get(6).and_then(|s| opt(s)) {
                let (code, mode) = match i.split_once(':') {
                    Some((c, m)) => (c.to_string(), Some(m.to_string())),
                    None => (i, None),
                };
                c.intent = Some(code);
                c.intent_mode = mode;
            }
            if codes.insert(code.to_string(), c).is_some() {
                return Err(err(line, format!("duplicate CAMEO code {code}")));
            }
        }
        // intent codes must exist
        for c in codes.values() {
            if let Some(i) = &c.intent
                && !codes.contains_key(i)
            {
                return Err(CodeError::Parse {
                    file: file.to_string(),
                    line: 0,
                    message: format!("code {} has unknown intent code {i}", c.code),
                });
            }
        }
        Ok(CameoTable { codes })
    }

    pub(crate) fn get(&self, code: &str) -> Option<&CameoCode> {
        self.codes.get(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_loads_with_all_codes() {
        let t = CameoTable::parse(crate::BUILTIN_CAMEO, "cameo.tsv").unwrap();
        assert_eq!(t.codes.len(), 311);
        let phone = t.get("041").unwrap();
        assert_eq!(phone.plover, "CONSULT");
        assert_eq!(phone.mode.as_deref(), Some("phone"));
        assert_eq!(t.get("0874").unwrap().goldstein, 10.0);
        assert_eq!(t.get("062").unwrap().intent.as_deref(), Some("0312"));
        assert_eq!(t.get("163").unwrap().quad_class, 4);
    }

    #[test]
    fn errors_carry_line_numbers() {
        let bad = "# header\ncode\tname\tgoldstein\tquad_class\tplover\tplover_mode\n040\tConsult\t1.0\t1\tCONSULT\t-\n041\tPhone\tx\t1\tCONSULT\tphone\n";
        match CameoTable::parse(bad, "t.tsv") {
            Err(CodeError::Parse { line, file, .. }) => {
                assert_eq!(line, 4);
                assert_eq!(file, "t.tsv");
            }
            other => panic!("expected parse error, got {other:?}"),
        }
        let bad_quad = "040\tConsult\t1.0\t7\tCONSULT\t-\n";
        assert!(matches!(
            CameoTable::parse(bad_quad, "t"),
            Err(CodeError::Parse { line: 1, .. })
        ));
        let bad_plover = "040\tConsult\t1.0\t1\tCHAT\t-\n";
        assert!(CameoTable::parse(bad_plover, "t").is_err());
    }
}
