#!/usr/bin/env python3
"""Reads the files of `cargo run -p outpost-export --example sample -- DIR` with the Python
readers people use, and checks row counts, column types and a few values.

Usage: python3 check_readers.py DIR [--all]
Needs at least one of: pyarrow (pandas' Parquet engine), polars, duckdb. Readers that are
not installed are reported and skipped; exits 1 if none is installed or any check fails.
With --all (as CI runs it), every reader — pyarrow, pandas, polars, duckdb — must be there.
"""
import csv
import sys
from pathlib import Path


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--all"]
    require_all = "--all" in sys.argv[1:]
    d = Path(args[0] if args else ".")
    pq_path = d / "sample.parquet"
    failures, ran = [], 0

    def check(name, cond, msg):
        if not cond:
            failures.append(f"{name}: {msg}")

    try:
        import pyarrow.parquet as pq
        t = pq.read_table(pq_path)
        ran += 1
        check("pyarrow", t.num_rows == 4, f"{t.num_rows} rows")
        check("pyarrow", str(t.schema.field("date").type) == "date32[day]", "date type")
        check("pyarrow", str(t.schema.field("location_geonameid").type) == "int64", "geonameid type")
        try:
            import pandas as pd
            df = pd.read_parquet(pq_path)
            ran += 1
            check("pandas", list(df["quad_class"]) == [1, 4, 1, 3], f"{list(df['quad_class'])}")
        except ImportError:
            print("pandas: not installed, skipped")
    except ImportError:
        print("pyarrow: not installed, skipped")
    try:
        import polars as pl
        df = pl.read_parquet(pq_path)
        ran += 1
        check("polars", df.height == 4, f"{df.height} rows")
        check("polars", df["date"].null_count() == 1, "one undated event")
    except ImportError:
        print("polars: not installed, skipped")
    try:
        import duckdb
        n, g = duckdb.sql(f"select count(*), min(goldstein) from '{pq_path}'").fetchall()[0]
        ran += 1
        check("duckdb", (n, g) == (4, -10.0), f"{(n, g)}")
    except ImportError:
        print("duckdb: not installed, skipped")

    with open(d / "sample.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    check("csv", len(rows) == 4, f"{len(rows)} rows")
    with open(d / "sample.export.CSV", encoding="utf-8") as f:
        lines = f.read().split("\n")[:-1]
    check("gdelt", all(len(l.split("\t")) == 61 for l in lines), "61 fields")
    with open(d / "sample.mentions.CSV", encoding="utf-8") as f:
        lines = f.read().split("\n")[:-1]
    check("mentions", all(len(l.split("\t")) == 16 for l in lines), "16 fields")

    for msg in failures:
        print("FAIL", msg)
    if require_all and ran < 4:
        print(f"--all: only {ran} of the 4 Parquet readers ran")
        return 1
    if ran == 0:
        print("no Parquet reader installed (pip install pyarrow polars duckdb)")
        return 1
    print(f"{ran} Parquet readers ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
