"""Cases and 5xx answers in a schemathesis HAR report: `python count.py report.har` prints "<cases> <5xx>"."""

import json
import sys

entries = json.load(open(sys.argv[1], encoding="utf-8"))["log"]["entries"]
errors = [e for e in entries if e["response"]["status"] >= 500]
for entry in errors[:20]:
    print(f"  5xx: {entry['request']['method']} {entry['request']['url']} -> {entry['response']['status']}",
          file=sys.stderr)
print(len(entries), len(errors))
