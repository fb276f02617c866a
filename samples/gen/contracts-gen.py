#!/usr/bin/env python3
"""Generate samples/contracts.csv: the contracts around the sample union's
vehicles (deterministic: the same output every run).

    python3 samples/gen/contracts-gen.py [samples/svc-history.csv] > samples/contracts.csv

For each vehicle of the service history (its customer, phone, e-mail,
language and dealer from its latest row): a yearly insurance, some already
renewed; a roadworthiness inspection every two years; loans and leases for
some; roadside-assistance subscriptions and prepaid service packages (some
open-ended); a few void or closed.  Ends fall around the demo's night,
2026-11-20, so that every stage (60, 30, 7 days, expired) has contracts.
"""
import csv
import datetime as dt
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "samples/svc-history.csv"
seed = 20261120


def rnd(n):
    """LCG: an integer in 0..n-1."""
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (seed >> 33) % n


def day(s):
    return dt.date.fromisoformat(s)


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:          # 29 February
        return d.replace(year=d.year + n, day=28)


latest = {}
for r in csv.DictReader(open(src, encoding="utf-8")):
    v = r["vin"]
    if v not in latest or r["date"] >= latest[v]["date"]:
        latest[v] = r

INSURERS = ["If", "ERGO", "Gjensidige", "BTA", "Compensa"]
BANKS = ["Swedbank", "SEB", "Luminor", "Citadele"]
asof = day("2026-11-20")
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["contract", "vin", "kind", "start_date", "end_date", "status",
              "customer", "phone", "email", "language", "dealer", "provider"])
n = 0


def row(kind, vin, start, end, status, who, provider):
    global n
    n += 1
    prefix = {"insurance": "INS", "inspection": "TA", "registration": "REG",
              "loan": "LN", "lease": "LS", "roadside": "RA",
              "package": "PK"}[kind]
    name = who["customer"]
    lang = who["language"]
    out.writerow([f"{prefix}-{n:05d}", vin, kind,
                  start.isoformat() if start else "",
                  end.isoformat() if end else "", status, name, who["phone"],
                  who["email"], lang, who["dealer"], provider])


for vin in sorted(latest):
    who = latest[vin]
    # Insurance: a year, ending from 2026-10-01 to 2027-04-30.
    end = day("2026-10-01") + dt.timedelta(days=rnd(212))
    start = add_years(end, -1) + dt.timedelta(days=1)
    ins = INSURERS[rnd(len(INSURERS))]
    status = "void" if rnd(40) == 0 else ""
    row("insurance", vin, start, end, status, who, ins)
    if end < asof + dt.timedelta(days=45) and rnd(3) == 0:
        # Already renewed (now and then with another insurer, or a day late).
        gap = 1 + (rnd(5) == 0)
        s2 = end + dt.timedelta(days=gap)
        row("insurance", vin, s2, add_years(s2, 1) - dt.timedelta(days=1), "",
            who, INSURERS[rnd(len(INSURERS))])
    # Roadworthiness inspection: every two years.
    if rnd(3) != 0:
        end = day("2026-09-15") + dt.timedelta(days=rnd(400))
        row("inspection", vin, add_years(end, -2) + dt.timedelta(days=1), end,
            "", who, "Transeksta")
    # Registration of the fleets and offices: yearly.
    if who["client_class"] in ("fleet", "government", "embassy") and rnd(2) == 0:
        end = day("2026-11-01") + dt.timedelta(days=rnd(120))
        row("registration", vin, add_years(end, -1) + dt.timedelta(days=1), end,
            "", who, "Regitra")
    # Loans and leases: three to five years.
    k = rnd(8)
    if k < 2:
        kind = "loan" if k == 0 else "lease"
        end = day("2026-10-20") + dt.timedelta(days=rnd(500))
        row(kind, vin, add_years(end, -(3 + rnd(3))) + dt.timedelta(days=1), end,
            "closed" if rnd(15) == 0 else "", who, BANKS[rnd(len(BANKS))])
    # Roadside assistance and prepaid service packages.
    if rnd(3) == 0:
        end = day("2026-11-05") + dt.timedelta(days=rnd(150))
        row("roadside", vin, add_years(end, -1) + dt.timedelta(days=1), end, "",
            who, "Baltic Auto Service Union")
    if rnd(5) == 0:
        start = day("2024-01-01") + dt.timedelta(days=rnd(700))
        end = None if rnd(3) == 0 else add_years(start, 3) - dt.timedelta(days=1)
        row("package", vin, start, end, "", who, who["dealer"])
