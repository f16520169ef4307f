//! Language identification: `<html lang>` hints confirmed or filled in by `whatlang`.

use std::collections::HashMap;
use std::sync::LazyLock;

/// ISO 639-3 → ISO 639-1 table (`data/iso639.txt`: `eng en` per line).
const ISO639: &str = include_str!("../data/iso639.txt");

/// A broken line in the language-code table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// Parse the `639-3 639-1` table; errors carry line numbers.
pub fn parse_table(src: &str) -> Result<HashMap<&str, &str>, TableError> {
    let mut map = HashMap::new();
    for (i, raw) in src.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let ok = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_lowercase());
        match fields.as_slice() {
            [three, two] if ok(three, 3) && ok(two, 2) => {
                map.insert(*three, *two);
            }
            _ => {
                return Err(TableError {
                    line: i + 1,
                    message: format!("expected `xxx xx` (ISO 639-3 then 639-1), got {line:?}"),
                });
            }
        }
    }
    Ok(map)
}

static MAP: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse_table(ISO639).unwrap_or_default());

/// Normalise a language tag (`en-US`, `EN`, `eng`) to a two-letter ISO 639-1 code.
pub fn normalize_tag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 if primary.chars().all(|c| c.is_ascii_lowercase()) => Some(primary),
        3 => MAP.get(primary.as_str()).map(|s| s.to_string()),
        _ => None,
    }
}

/// The article's language: the detector's answer when it is reliable, else the page's
/// declared language, else the detector's best guess on enough text.
pub fn detect(text: &str, hint: Option<&str>) -> Option<String> {
    let hint = hint.and_then(normalize_tag);
    // A prefix is enough to identify a language and keeps this cheap.
    let mut end = text.len().min(600);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let info = whatlang::detect(sample);
    let guess = info
        .as_ref()
        .and_then(|i| MAP.get(i.lang().code()).map(|s| s.to_string()));
    match (info, guess, hint) {
        (Some(i), Some(g), _) if i.is_reliable() => Some(g),
        (_, _, Some(h)) => Some(h),
        (Some(i), Some(g), None) if i.confidence() > 0.3 && sample.len() > 80 => Some(g),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_errors_have_line_numbers() {
        assert!(parse_table(ISO639).is_ok());
        let e = parse_table("# c\neng en\nrus\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse_table("eng EN").is_err());
    }

    #[test]
    fn table_is_complete_and_tags_normalise() {
        assert!(MAP.len() >= 69);
        assert_eq!(normalize_tag("en-US").as_deref(), Some("en"));
        assert_eq!(normalize_tag("rus").as_deref(), Some("ru"));
        assert_eq!(normalize_tag("x"), None);
    }

    #[test]
    fn detector_overrides_wrong_hint() {
        let t = "Городской совет в понедельник утвердил строительство нового моста через реку, \
                 сообщила пресс-служба мэрии, добавив, что работы начнутся весной.";
        assert_eq!(detect(t, Some("en")).as_deref(), Some("ru"));
        assert_eq!(detect("ok", Some("de")).as_deref(), Some("de"));
    }
}
