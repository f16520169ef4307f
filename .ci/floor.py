#!/usr/bin/env python3
"""Checks benchmark figures against floors: reads a benchmark's report on stdin, echoes it,
and for each (PATTERN, FLOOR) pair finds the first match of PATTERN (a regular expression
with one group capturing a number) and fails when the number is below FLOOR or missing.
A FLOOR written `<=X` is a ceiling instead: the number must be at most X.

    outpost bench events GOLD | python3 .ci/floor.py '^weighted F1\\s+([0-9.]+)' 0.79
"""
import re
import sys

def main() -> int:
    args = sys.argv[1:]
    if not args or len(args) % 2:
        print("usage: floor.py PATTERN FLOOR [PATTERN FLOOR ...]", file=sys.stderr)
        return 2
    text = sys.stdin.read()
    sys.stdout.write(text)
    failed = False
    for pattern, floor in zip(args[::2], args[1::2]):
        m = re.search(pattern, text, re.MULTILINE)
        if not m:
            print(f"FLOOR: no figure matches {pattern!r}", file=sys.stderr)
            failed = True
            continue
        value = float(m.group(1))
        if floor.startswith("<="):
            ok = value <= float(floor[2:])
            print(f"ceiling {pattern!r}: {value} <= {floor[2:]}: {'ok' if ok else 'ABOVE'}")
        else:
            ok = value >= float(floor)
            print(f"floor {pattern!r}: {value} >= {floor}: {'ok' if ok else 'BELOW'}")
        failed |= not ok
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
