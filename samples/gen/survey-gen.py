#!/usr/bin/env python3
"""Generate the survey samples of the union (deterministic):

    python3 samples/gen/survey-gen.py [samples/svc-history.csv]

Writes samples/repair-orders.csv: the repair orders closed from 2026-11-01 to
the demo's night (2026-11-20), one per service visit of the history in that
time plus deliveries, warranty repairs and internal jobs, with advisors,
the customer's language (the history's column), a contact (e-mail, else
phone) and a few opt-outs; and samples/survey-answers.csv: October's answers, a CSAT score (1-5) and
an NPS score (0-10) per answered survey, some unanswered.
"""
import csv
import datetime as dt
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "samples/svc-history.csv"
outdir = "samples"
seed = 20261101


def rnd(n):
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (seed >> 33) % n


ADVISORS = {
    "D01": ["Rasa", "Tomas"], "D02": ["Inga", "Paulius"], "D03": ["Vaida"],
    "D04": ["Karolis"], "D05": ["Olga", "Mindaugas"], "D06": ["Edita"],
    "D07": ["Lukas", "Jurgita"], "D08": ["Andrej"], "D09": ["Milda"],
    "D10": ["Darius"], "D11": ["Neringa", "Saulius"], "D12": ["Viktor"],
}


rows = list(csv.DictReader(open(src, encoding="utf-8")))
who = {}
for r in rows:
    if r["vin"] not in who or r["date"] >= who[r["vin"]]["date"]:
        who[r["vin"]] = r
orders = []
start, end = dt.date(2026, 10, 1), dt.date(2026, 11, 20)
for r in rows:
    d = dt.date.fromisoformat(r["date"])
    if d < start or d > end:
        continue
    orders.append((d, r))
vins = sorted(who)
# Deliveries and warranty repairs on other days, and internal jobs.
for i in range(40):
    d = start + dt.timedelta(days=rnd(51))
    orders.append((d, dict(who[vins[rnd(len(vins))]], services="")))
orders.sort(key=lambda x: (x[0], x[1]["vin"]))

with open(f"{outdir}/repair-orders.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "closed_at", "contact", "kind", "opt_out", "customer",
                "vin", "dealer", "advisor", "language"])
    n = 0
    for d, r in orders:
        n += 1
        p = who[r["vin"]]
        dealer = p["dealer"]
        kind = ("internal" if rnd(15) == 0 else
                "warranty" if rnd(8) == 0 else
                "delivery" if not r["services"] and rnd(2) == 0 else "service")
        closed = dt.datetime.combine(d, dt.time(8 + rnd(10), rnd(60)))
        contact = p["email"] or p["phone"]
        if rnd(25) == 0:
            contact = ""
        opt = "yes" if rnd(20) == 0 else ""
        w.writerow([f"RO-{26000 + n}", closed.strftime("%Y-%m-%d %H:%M"),
                    contact, kind, opt, p["customer"], r["vin"], dealer,
                    ADVISORS[dealer][rnd(len(ADVISORS[dealer]))],
                    p["language"]])

with open(f"{outdir}/survey-answers.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "answered_at", "dealer", "advisor", "month", "csat", "nps"])
    n = 0
    for d, r in orders:
        if d >= dt.date(2026, 11, 1) or rnd(3) == 0:
            continue            # October's surveys; a third never answered
        n += 1
        p = who[r["vin"]]
        dealer = p["dealer"]
        good = 3 if dealer in ("D03", "D08", "D11") else 1   # a weaker dealer or two
        csat = "" if rnd(10) == 0 else str(max(1, 5 - rnd(2 + good)))
        nps = "" if rnd(10) == 0 else str(max(0, 10 - rnd(3 + 2 * good)))
        when = dt.datetime.combine(d + dt.timedelta(days=2 + rnd(5)), dt.time(9 + rnd(12), rnd(60)))
        w.writerow([f"RO-{26000 + n}", when.strftime("%Y-%m-%d %H:%M"), dealer,
                    ADVISORS[dealer][rnd(len(ADVISORS[dealer]))], "2026-10", csat, nps])
