#!/usr/bin/env python3
"""Generate samples/pauses.csv from samples/tickets.csv: when the clock of
a ticket stood still because the dealer waited on parts or on the
customer (complaint-sla --pauses), as the help desk exports it
(deterministic: no random draws).

    python3 samples/gen/pauses.py < samples/tickets.csv > samples/pauses.csv
"""
import csv
import datetime as dt
import sys

FMT = "%Y-%m-%d %H:%M"
EXPORT = dt.datetime(2026, 11, 19, 23, 50)   # taken with the tickets


def ts(s):
    return dt.datetime.strptime(s[:16], FMT) if s else None


def main():
    rows = []
    for n, t in enumerate(csv.DictReader(sys.stdin)):
        ack = ts(t["acknowledged_at"]) or ts(t["responded_at"])
        resp, resol = ts(t["responded_at"]), ts(t["resolved_at"])
        if ack is None:
            continue
        if t["class"] == "emergency" and resol is None:
            # An emergency vehicle kept off the road waits on a part
            # ordered an hour after the last answer; still waiting.
            rows.append((t["id"], (resp or ack) + dt.timedelta(hours=1), None,
                         "waiting on parts"))
        elif t["category"] == "parts":
            # Ordered parts: from the order (an hour after the
            # acknowledgement) until they came in, two hours before the
            # answer; still waiting when there is no answer yet.
            start = ack + dt.timedelta(hours=1)
            if resp is None:
                rows.append((t["id"], start, None, "waiting on parts"))
            elif resp - start > dt.timedelta(hours=12):
                rows.append((t["id"], start, resp - dt.timedelta(hours=2),
                             "waiting on parts"))
        elif t["category"] in ("service", "complaint") and n % 5 == 0:
            # Asked the customer for a visit or a document.
            start = ack + dt.timedelta(minutes=30)
            end = start + dt.timedelta(hours=20 + n % 30)
            if resp is not None and end > resp:
                end = resp
            if end <= start:
                continue
            rows.append((t["id"], start, end, "waiting for the customer"))
            # Some also waited on a part, the two pauses overlapping.
            if n % 3 == 0:
                rows.append((t["id"], start + dt.timedelta(hours=2),
                             end + dt.timedelta(hours=3), "waiting on parts"))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "from", "to", "reason"])
    for tid, a, b, why in rows:
        if a > EXPORT:
            continue
        w.writerow([tid, a.strftime(FMT), b.strftime(FMT) if b and b <= EXPORT else "", why])


if __name__ == "__main__":
    main()
