//! The schema migrations of both backends, embedded in the binary.
//!
//! One version numbering is shared by both dialects: version N is `NNNN_name.sql` in
//! `migrations/sqlite/` and in `migrations/postgres/`, and both files describe the same
//! logical schema (tables, columns, meaning), each in its own SQL dialect.

/// SQLite migrations, in order: (version, SQL). Version N is the N-th entry.
pub const SQLITE: &[(u32, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_queue.sql")),
    (
        3,
        include_str!("../migrations/sqlite/0003_analyst_indexes.sql"),
    ),
    (4, include_str!("../migrations/sqlite/0004_watch.sql")),
    (5, include_str!("../migrations/sqlite/0005_dedup.sql")),
    (
        6,
        include_str!("../migrations/sqlite/0006_aggregate_span_class.sql"),
    ),
    (
        7,
        include_str!("../migrations/sqlite/0007_compact_bands.sql"),
    ),
];

/// PostgreSQL migrations, in order, numbered like [`SQLITE`].
pub const POSTGRES: &[(u32, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_queue.sql")),
    (
        3,
        include_str!("../migrations/postgres/0003_analyst_indexes.sql"),
    ),
    (4, include_str!("../migrations/postgres/0004_watch.sql")),
    (5, include_str!("../migrations/postgres/0005_dedup.sql")),
    (
        6,
        include_str!("../migrations/postgres/0006_aggregate_span_class.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_compact_bands.sql"),
    ),
];

/// The highest schema version this build knows (the same for both backends).
pub fn known_version() -> u32 {
    SQLITE.last().map_or(0, |m| m.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_share_one_numbering_one_to_n() {
        for list in [SQLITE, POSTGRES] {
            for (i, (v, sql)) in list.iter().enumerate() {
                assert_eq!(*v as usize, i + 1);
                assert!(!sql.trim().is_empty());
            }
        }
        let s: Vec<u32> = SQLITE.iter().map(|m| m.0).collect();
        let p: Vec<u32> = POSTGRES.iter().map(|m| m.0).collect();
        assert_eq!(s, p);
        assert_eq!(known_version() as usize, SQLITE.len());
    }

    #[test]
    fn migration_files_are_in_order_on_disk() {
        // Every file in each dialect folder is listed, so a new file cannot be forgotten.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for (dir, list) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect();
            names.sort();
            assert_eq!(names.len(), list.len(), "{dir}: {names:?}");
            for (i, n) in names.iter().enumerate() {
                assert!(n.starts_with(&format!("{:04}_", i + 1)), "{dir}/{n}");
            }
        }
    }
}
