#!/usr/bin/env python3
"""Guard for issue 2: the seed article's extraction and events must stay right.

Usage: check_seed.py OUTPOST_BINARY SEED_DIR

Runs `outpost extract` and `outpost code` on the seed page(s) and checks the figures the
foundation issue names. Exits non-zero, listing every failed check, when any is missing.
"""
import glob
import json
import subprocess
import sys


def run(binary, *args):
    res = subprocess.run([binary, *args], capture_output=True, text=True, check=False)
    if res.returncode not in (0,):
        sys.exit(f"`outpost {' '.join(args)}` exited {res.returncode}:\n{res.stderr}")
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


def countries(ev):
    out = set()
    for a in [ev.get("source"), ev.get("target"), *ev.get("parties", [])]:
        if a and a.get("country"):
            out.add(a["country"])
    return out


def main():
    binary, seed_dir = sys.argv[1], sys.argv[2]
    seeds = sorted(glob.glob(f"{seed_dir}/*.txt"))
    if not seeds:
        sys.exit(f"no seed page in {seed_dir}")
    seed = seeds[0]
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    [art] = run(binary, "extract", seed)
    body = art["text"]
    check(art["title"] == "Russian, Tajik defense ministers discuss response to Afghan conflict risks: TASS", "title")
    check(art["date"] == "2021-07-24", "date 2021-07-24")
    check(art["wire"] == "Reuters", "wire Reuters")
    check(body.startswith("Russian defense Minister Sergei Shoigu"), "body start")
    check(body.rstrip().endswith("to reinforce it."), "body end")
    for furniture in ["Aerial view", "Followed Unfollow", "Published: Updated:", "For the latest headlines",
                      "Read more:", "capture key border crossing", "Get the latest stories", "Also Read",
                      "Editor's Choice", "Top Content", "Before you go", "Explore More"]:
        check(furniture not in body, f"no furniture: {furniture!r}")

    events = run(binary, "code", seed)
    print(f"{len(events)} events")
    for ev in events:
        print("   ", ev["date"], ev["plover"], ev.get("mode"), ev["cameo"], ev["status"],
              ev["source"]["code"], "->", (ev.get("target") or {}).get("code"), "|", ev["evidence"]["trigger"])

    def src(ev):
        return ev["source"] or {}

    def tgt(ev):
        return ev.get("target") or {}

    def any_event(pred, what):
        check(any(pred(e) for e in events), what)

    any_event(lambda e: e["plover"] == "CONSULT" and e.get("mode") == "phone" and e["cameo"] == "041"
              and {src(e).get("country"), tgt(e).get("country")} == {"RUS", "TJK"} and e["date"] == "2021-07-24"
              and any("Shoigu" in (a.get("name") or "") for a in (src(e), tgt(e)))
              and any("Mirzo" in (a.get("name") or "") for a in (src(e), tgt(e))),
              "CONSULT-phone 041 RUS<->TJK 2021-07-24, Shoigu and Mirzo")
    any_event(lambda e: e["plover"] == "AGREE" and e["cameo"].startswith("03") and e["status"] == "planned"
              and src(e).get("country") == "RUS" and tgt(e).get("country") == "TJK" and e["date"] == "2021-07-23",
              "AGREE 03x planned RUS->TJK 2021-07-23 (outpost)")
    any_event(lambda e: e["plover"] in ("AGREE", "COOPERATE") and e["status"] == "planned"
              and {"RUS", "TJK", "UZB"} <= countries(e) and e["date"] == "2021-08" and e["date_precision"] == "month",
              "joint drills: AGREE/COOPERATE planned RUS+TJK+UZB 2021-08 (month)")
    any_event(lambda e: e["plover"] in ("AID", "MOBILIZE") and src(e).get("country") == "RUS",
              "hardware delivery: AID/MOBILIZE source RUS")
    any_event(lambda e: e["plover"] == "RETREAT" and e["cameo"] == "0874" and src(e).get("country") == "AFG"
              and src(e).get("sector") == "MIL" and e["date"] == "2021-07" and e["date_precision"] == "month",
              "RETREAT 0874 AFG MIL 2021-07 (month)")
    any_event(lambda e: ((e["plover"] == "COERCE" and e["cameo"] == "192") or e["plover"] == "ASSAULT")
              and src(e).get("country") == "AFG" and src(e).get("sector") == "REB",
              "Taliban seize: COERCE 192 / ASSAULT source AFG REB")
    any_event(lambda e: ((e["plover"] == "RETREAT" and e["cameo"] == "0841") or (e["plover"] == "COERCE" and e["cameo"] == "174"))
              and src(e).get("country") == "TJK" and tgt(e).get("country") == "AFG",
              "sent back: RETREAT 0841 / COERCE 174 TJK->AFG")
    check(all(e["evidence"]["text"] and e["evidence"]["text"] in body for e in events),
          "every event's evidence sentence is in the article body")

    if failures:
        sys.exit(f"{len(failures)} seed check(s) failed")
    print("seed guard: all checks passed")


if __name__ == "__main__":
    main()
