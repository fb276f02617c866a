#!/usr/bin/env python3
"""Generate the assist-check samples (deterministic: same output every run).

    python3 samples/gen/assist-gen.py samples/

Reads svc-history.csv (the vehicles and customers of the union's dealers)
and calls.csv (the dispatch log of November 2026: its columns call, time,
region, caller, issue and referred are kept, so that duty-roster's audit of
it does not change), and writes:
  assist-plans.csv          the union's plans: basic, plus, fleet
  assist-subscriptions.csv  a few hundred subscriptions of the dealers'
                            private customers (yearly renewals, some late,
                            some cancelled: status void), fleet
                            subscriptions without a vin (the taxi fleet,
                            government bodies, an embassy), and those of
                            the callers of the log
  calls.csv                 the log again, with each call's vin,
                            subscription, service, tow_km and cause
The callers of the log are the story of the samples: between them, their
calls of November get every coverage (see the table CALLS below).
"""
import csv
import datetime as dt
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
ASOF = dt.date(2026, 11, 20)

seed = 20261121


def rnd(n):
    """LCG: an integer in 0..n-1."""
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (seed >> 33) % n


def pick(xs):
    return xs[rnd(len(xs))]


PLANS = """plan,calls_per_year,tow_km,services,waiting_days,grace_days
basic,3,25,tow;battery;tire;fuel;lockout,0,0
plus,5,100,*,7,30
fleet,,150,tow;battery;tire;fuel;lockout;taxi;replacement_car,0,14
"""

INSURERS = ["Baltijos draudimas", "Nemuno draudimas", "Gintaro draudimas",
            "Šiaurės draudimas"]


def add_months(d, n):
    i = d.year * 12 + d.month - 1 + n
    y, m = divmod(i, 12)
    m += 1
    last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31,
            30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(d.day, last))


def year_end(start):
    """The last day of a one-year subscription."""
    return add_months(start, 12) - dt.timedelta(days=1)


subs = []   # subscription, plan, start, end, vin, holder, insurer, status


def sub(number, plan, start, end, vin, holder, insurer, status=""):
    subs.append([number, plan, start, end, vin, holder, insurer, status])


# ---- the dealers' customers, from the service history ----
with open(os.path.join(out, "svc-history.csv"), encoding="utf-8") as fh:
    history = list(csv.DictReader(fh))
vehicles = {}   # vin -> (first date, customer, class), in order of the file
for r in history:
    if r["vin"] not in vehicles:
        vehicles[r["vin"]] = (dt.date.fromisoformat(r["date"]), r["customer"],
                              r["client_class"])

number = 10001
for v, (delivered, customer, cls) in vehicles.items():
    if cls != "private" or rnd(4) == 0:
        continue
    start = max(delivered, dt.date(2023, 1, 1)) + dt.timedelta(days=rnd(500))
    if start > ASOF:
        continue
    plan = "plus" if rnd(5) < 2 else "basic"
    insurer = pick(INSURERS) if plan == "plus" or rnd(2) else ""
    n = "RA-%05d" % number
    number += 1
    while start <= ASOF:
        end = year_end(start)
        status = "void" if rnd(30) == 0 else ""
        spelled = "Plus" if plan == "plus" and rnd(40) == 0 else plan
        sub(n, spelled, start, end, v, customer, insurer, status)
        if status or rnd(10) < 3:       # cancelled, or not renewed
            break
        if plan == "basic" and rnd(8) == 0:
            plan = "plus"
            insurer = insurer or pick(INSURERS)
        # most renew on time, some weeks late
        start = end + dt.timedelta(days=1 if rnd(4) else 1 + 7 + rnd(50))

# Fleets: any vehicle of the holder (no vin), renewed every January.
TAXI = 'UAB "Sostinės taksi"'
FLEETS = [("FL-0700", TAXI, "Gintaro draudimas", 2024),
          ("FL-0710", "Vilniaus apskrities VPK", "", 2025),
          ("FL-0711", "Greitosios pagalbos stotis", "Baltijos draudimas", 2024),
          ("FL-0712", "Valstybinė mokesčių inspekcija", "", 2026),
          ("FL-0713", "Seimo kanceliarija", "Nemuno draudimas", 2025),
          ("FL-0714", "Embassy of Sweden", "Šiaurės draudimas", 2025)]
for n, holder, insurer, first in FLEETS:
    for y in range(first, 2027):
        sub(n, "fleet", dt.date(y, 1, 1), dt.date(y, 12, 31), "", holder,
            insurer)
# An embassy that subscribes car by car.
kz = [v for v, (_, c, _) in vehicles.items() if c.startswith("Посольство")]
for i, v in enumerate(kz):
    start = dt.date(2025, 3 + i, 1)
    sub("RA-%05d" % number, "plus", start, year_end(start), v,
        "Посольство Республики Казахстан", "Nemuno draudimas")
    number += 1
taxis = [v for v, (_, c, _) in vehicles.items() if c == TAXI]

# ---- the callers of the log and their subscriptions ----
DS, AJ, RS, RS2 = "WBAZZZZZZL8120011", "TMBZZZZZZN8120023", \
    "VF1ZZZZZZP8120035", "VF1ZZZZZZH8120099"
JK, OP, EZ, TS = "YV1ZZZZZZR8120047", "WVWZZZ1KZM8120059", \
    "XTAZZZZZZS8120061", "TMBZZZZZZK8120073"
D = dt.date.fromisoformat
sub("RA-20418", "basic", D("2025-10-21"), D("2026-10-20"), DS,
    "Dmitrij Smirnov", "")
sub("RA-20418", "basic", D("2026-11-02"), D("2027-11-01"), DS,     # late renewal
    "Dmitrij Smirnov", "")
sub("RA-20533", "basic", D("2026-02-14"), D("2027-02-13"), AJ,
    "Andrius Jankauskas", "Baltijos draudimas")
sub("RA-20876", "plus", D("2024-10-26"), D("2025-10-25"), RS,
    "Rūta Stankevičiūtė", "Nemuno draudimas")
sub("RA-20876", "plus", D("2025-10-26"), D("2026-10-25"), RS,      # in grace
    "Rūta Stankevičiūtė", "Nemuno draudimas")
sub("RA-21007", "plus", D("2026-11-05"), D("2027-11-04"), JK,      # waiting
    "Jonas Kazlauskas", "Gintaro draudimas")
sub("RA-20150", "basic", D("2026-02-01"), D("2027-01-31"), OP,     # cancelled
    "Ona Petraitienė", "", "void")
sub("RA-20150", "basic", D("2026-11-10"), D("2027-11-09"), OP,     # bought again
    "Ona Petraitienė", "")
sub("RA-21120", "plus", D("2026-12-01"), D("2027-11-30"), EZ,      # from December
    "Eglė Žukauskienė", "Šiaurės draudimas")
sub("RA-20777", "plus", D("2026-04-01"), D("2027-03-31"), TS,
    "Tatjana Sokolova", "Baltijos draudimas")

# Each call: subscription named, vin, service, tow km, cause; the coverage
# it gets is in the comment.  Ivan Petrov and Mindaugas Vaitkus drive taxis.
T1, T2, T3 = taxis[3], taxis[17], taxis[29]
CALLS = {
    "2026-11-01-01": ("RA-20418", DS, "lockout", "", ""),       # expired
    "2026-11-02-01": ("RA-20418", DS, "lockout", "", ""),       # covered (renewed)
    "2026-11-03-01": ("RA-20533", AJ, "lockout", "", ""),       # covered 1 of 3
    "2026-11-04-01": ("FL-0700", T1, "repair", "", ""),         # not_covered
    "2026-11-04-02": ("RA-20533", AJ, "tire", "", ""),          # covered 2 of 3
    "2026-11-05-01": ("RA-20777", TS, "lockout", "", ""),       # covered
    "2026-11-05-02": ("RA-20876", RS, "lockout", "", ""),       # grace
    "2026-11-06-01": ("FL-0700", T2, "tire", "", ""),           # covered
    "2026-11-07-01": ("FL-0700", T2, "lockout", "", ""),        # covered
    "2026-11-07-02": ("RA-20777", TS, "lockout", "", ""),       # covered
    "2026-11-08-01": ("RA-20150", OP, "tire", "", ""),          # void
    "2026-11-09-01": ("RA-21007", JK, "battery", "", ""),       # waiting
    "2026-11-10-01": ("FL-0700", T3, "tire", "", ""),           # covered
    "2026-11-11-01": ("FL-0700", T3, "battery", "", ""),        # covered
    "2026-11-11-02": ("FL-0700", T2, "tire", "", ""),           # covered
    "2026-11-12-01": ("RA-21007", JK, "tow", "35", "accident"),  # covered, insurer
    "2026-11-13-01": ("RA-20418", DS, "battery", "", ""),       # covered
    "2026-11-14-01": ("FL-0700", T1, "tow", "180", "accident"),  # 150 km paid, 30 not
    "2026-11-14-02": ("FL-0700", T2, "tow", "12", ""),          # covered
    "2026-11-15-01": ("RA-20150", OP, "battery", "", ""),       # covered (new row)
    "2026-11-16-01": ("RA-20777", TS, "tow", "35", "accident"),  # covered, insurer
    "2026-11-17-01": ("RA-20876", RS2, "lockout", "", ""),      # wrong_vehicle
    "2026-11-18-01": ("RA-20533", AJ, "tow", "60", "accident"),  # 3 of 3; 25 km paid
    "2026-11-19-01": ("RA-20533", AJ, "battery", "", ""),       # over_limit
    "2026-11-19-02": ("RA-20876", RS, "battery", "", ""),       # grace
    "2026-11-20-01": ("RA-20876", RS, "tow", "120", "accident"),  # grace; 100 paid
    "2026-11-21-01": ("", TS, "tire", "", ""),                  # no_subscription
    "2026-11-21-02": ("RA-21007", JK, "tire", "", ""),          # covered
    "2026-11-22-01": ("FL-0700", T3, "tow", "40", "accident"),   # covered, insurer
    "2026-11-23-01": ("RA-21210", EZ, "lockout", "", ""),       # unknown (a typo)
    "2026-11-23-02": ("RA-20533", AJ, "tire", "", ""),          # over_limit
    "2026-11-24-01": ("RA-20876", RS, "tire", "", ""),          # grace, its last day
    "2026-11-24-02": ("RA-20418", DS, "tire", "", ""),          # covered 3 of 3
    "2026-11-25-01": ("RA-21120", EZ, "battery", "", ""),       # not_started
    "2026-11-26-01": ("RA-20777", TS, "repair", "", ""),        # covered (plus: all)
    "2026-11-27-01": ("RA-21007", JK, "lockout", "", ""),       # covered
    "2026-11-27-02": ("RA-21007", JK, "tow", "20", "accident"),  # covered, insurer
    "2026-11-28-01": ("RA-21120", EZ, "repair", "", ""),        # not_started
    "2026-11-28-02": ("FL-0700", T2, "battery", "", ""),        # covered
    "2026-11-29-01": ("RA-20533", AJ, "tow", "15", ""),         # over_limit: 15 km not paid
    "2026-11-30-01": ("FL-0700", T1, "tow", "45", "accident"),   # covered, insurer
}

subs.sort(key=lambda s: (s[2], s[0]))


def csvq(f):
    f = str(f)
    if any(c in f for c in (",", '"', "\n", "\r")):
        return '"' + f.replace('"', '""') + '"'
    return f


with open(os.path.join(out, "assist-plans.csv"), "w", encoding="utf-8") as fh:
    fh.write(PLANS)
with open(os.path.join(out, "assist-subscriptions.csv"), "w",
          encoding="utf-8") as fh:
    fh.write("subscription,plan,start_date,end_date,vin,holder,insurer,status\n")
    for s in subs:
        fh.write(",".join(csvq(x) for x in s) + "\n")

with open(os.path.join(out, "calls.csv"), encoding="utf-8", newline="") as fh:
    calls = list(csv.DictReader(fh))
KEEP = ["call", "time", "region", "caller", "vin", "issue", "referred"]
with open(os.path.join(out, "calls.csv"), "w", encoding="utf-8",
          newline="") as fh:
    fh.write(",".join(KEEP + ["subscription", "service", "tow_km", "cause"])
             + "\n")
    for c in calls:
        number, vin, service, km, cause = CALLS[c["call"]]
        c["vin"] = vin
        fh.write(",".join(csvq(c[k]) for k in KEEP) + ",")
        fh.write(",".join([number, service, km, cause]) + "\n")
