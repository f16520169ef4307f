//! Test databases for running the same test body on SQLite and on PostgreSQL.
//!
//! [`TestDb::sqlite`] is a file in a fresh temporary folder. [`TestDb::postgres`] is a fresh,
//! uniquely named database on the server named by `OUTPOST_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped again when the `TestDb` is dropped.
//! When that server does not answer, the test FAILS with a message saying so: PostgreSQL
//! tests are never skipped. `.ci/postgres.sh` starts a server and sets the variable.
//!
//! `on_both_backends!(name, …)` turns each `fn name(db: &TestDb)` into two tests,
//! `name::sqlite` and `name::postgres`.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use outpost_store::migrations::{POSTGRES, SQLITE};
use outpost_store::{Store, StoreError};

/// The default test server (the one the CI machine runs).
pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Runs each named `fn(&TestDb)` once on SQLite and once on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&crate::common::TestDb::sqlite());
            }
            #[test]
            fn postgres() {
                super::$name(&crate::common::TestDb::postgres());
            }
        }
    )*};
}

/// Which backend a test database uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh, empty database (no schema yet) that stores can be opened on, any number of
/// times (each `open` is a new connection).
pub struct TestDb {
    pub kind: Kind,
    /// What `Store::connect` takes: a file path or a `postgres://` URL.
    pub spec: String,
    _dir: Option<tempfile::TempDir>,
    /// (admin URL, database name) of a PostgreSQL test database, dropped on drop.
    pg: Option<(String, String)>,
}

/// The admin URL of the PostgreSQL test server.
pub fn pg_admin_url() -> String {
    std::env::var("OUTPOST_TEST_PG")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PG.to_string())
}

/// `url` with its database name replaced by `db` (query parameters kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("OUTPOST_TEST_PG is not a URL");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let query = path.find('?').map_or("", |i| &path[i..]);
    format!("{scheme}://{authority}/{db}{query}")
}

fn admin_client(url: &str) -> postgres::Client {
    match postgres::Client::connect(url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => panic!(
            "PostgreSQL test server at {url} did not answer ({e}: {}). The store's tests run on \
             PostgreSQL too and are never skipped: start a server (`bash .ci/postgres.sh` \
             starts one when none answers) or point OUTPOST_TEST_PG at one.",
            std::error::Error::source(&e).map_or(String::new(), |c| c.to_string())
        ),
    }
}

static SEQ: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A SQLite file in a new temporary folder.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("outpost.db").to_string_lossy().into_owned();
        TestDb {
            kind: Kind::Sqlite,
            spec,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A new database on the PostgreSQL test server. Panics with a clear message when the
    /// server does not answer.
    pub fn postgres() -> TestDb {
        let admin = pg_admin_url();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "outpost_test_{}_{}_{nanos}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = admin_client(&admin);
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("cannot create test database {name} at {admin}: {e}"));
        TestDb {
            kind: Kind::Postgres,
            spec: with_database(&admin, &name),
            _dir: None,
            pg: Some((admin, name)),
        }
    }

    /// Opens a store (a new connection), migrating the schema.
    pub fn try_open(&self) -> Result<Store, StoreError> {
        Store::connect(&self.spec)
    }

    /// Opens a store; panics on error.
    pub fn open(&self) -> Store {
        let store = self.try_open().unwrap();
        let expected = match self.kind {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        };
        assert_eq!(store.backend_kind(), expected);
        store
    }

    /// The SQLite file's path.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.spec)
    }

    /// Runs raw SQL on the database, outside the store.
    pub fn raw(&self, sql: &str) {
        match self.kind {
            Kind::Sqlite => rusqlite::Connection::open(self.path())
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            Kind::Postgres => admin_client(&self.spec).batch_execute(sql).unwrap(),
        }
    }

    /// Sets the recorded schema version directly (creating the version table on PostgreSQL
    /// when missing), as a newer or older build would have left it.
    pub fn raw_set_version(&self, v: u32) {
        match self.kind {
            Kind::Sqlite => self.raw(&format!("PRAGMA user_version = {v};")),
            Kind::Postgres => self.raw(&format!(
                "CREATE TABLE IF NOT EXISTS outpost_schema_version (version INTEGER NOT NULL);
                 DELETE FROM outpost_schema_version;
                 INSERT INTO outpost_schema_version (version) VALUES ({v});"
            )),
        }
    }

    /// The recorded schema version, read directly.
    pub fn raw_version(&self) -> u32 {
        match self.kind {
            Kind::Sqlite => {
                let c = rusqlite::Connection::open(self.path()).unwrap();
                c.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))
                    .unwrap()
            }
            Kind::Postgres => {
                let mut c = admin_client(&self.spec);
                let v: i32 = c
                    .query_one("SELECT version FROM outpost_schema_version", &[])
                    .unwrap()
                    .get(0);
                v as u32
            }
        }
    }

    /// Applies the dialect's migrations up to `version` by hand, as an older build would.
    pub fn raw_migrate_to(&self, version: u32) {
        let list = match self.kind {
            Kind::Sqlite => SQLITE,
            Kind::Postgres => POSTGRES,
        };
        for (_, sql) in list.iter().filter(|m| m.0 <= version) {
            self.raw(sql);
        }
        self.raw_set_version(version);
    }

    /// The single integer a raw query returns (a count), read outside the store.
    pub fn raw_count(&self, sql: &str) -> i64 {
        match self.kind {
            Kind::Sqlite => rusqlite::Connection::open(self.path())
                .unwrap()
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .unwrap(),
            Kind::Postgres => admin_client(&self.spec)
                .query_one(sql, &[])
                .unwrap()
                .get::<_, i64>(0),
        }
    }

    /// Whether a table with this name exists.
    pub fn table_exists(&self, table: &str) -> bool {
        match self.kind {
            Kind::Sqlite => {
                let c = rusqlite::Connection::open(self.path()).unwrap();
                c.query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap()
                    > 0
            }
            Kind::Postgres => {
                let mut c = admin_client(&self.spec);
                c.query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])
                    .unwrap()
                    .get(0)
            }
        }
    }

    /// Whether an error is the database engine's own (a constraint, …).
    pub fn is_engine_error(&self, e: &StoreError) -> bool {
        match self.kind {
            Kind::Sqlite => matches!(e, StoreError::Sqlite(_)),
            Kind::Postgres => matches!(e, StoreError::Postgres(_)),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            let res = postgres::Client::connect(admin, postgres::NoTls).and_then(|mut c| {
                c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            });
            if let Err(e) = res {
                eprintln!("warning: could not drop test database {name}: {e}");
            }
        }
    }
}

#[test]
fn urls_get_their_database_replaced() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgresql://u:p@h:1/x?connect_timeout=3", "t2"),
        "postgresql://u:p@h:1/t2?connect_timeout=3"
    );
    assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
}
