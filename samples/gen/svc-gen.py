#!/usr/bin/env python3
"""Generate the svc-remind samples (deterministic: same output every run).

    python3 samples/gen/svc-gen.py samples/

Writes svc-history.csv (a dealer's service history of a few hundred
vehicles: private customers, a taxi fleet, government and embassy cars on
tour plans), svc-schedule.csv, svc-campaigns.csv and svc-history-excel.csv
(an Excel export: ';', BOM, DD.MM.YYYY, Lithuanian column names).

The history's owners (columns customer, phone, email, and language) are
then given by customers-gen.py, which rewrites them in place:

    python3 samples/gen/svc-gen.py samples/
    svc-remind -s samples/svc-schedule.csv --campaigns samples/svc-campaigns.csv \
        --as-of 2026-11-20 samples/svc-history.csv >due.csv
    python3 samples/gen/customers-gen.py samples/svc-history.csv due.csv
"""
import datetime as dt
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
ASOF = dt.date(2026, 11, 20)

seed = 20261120


def rnd(n):
    """LCG: an integer in 0..n-1."""
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (seed >> 33) % n


def pick(xs):
    return xs[rnd(len(xs))]


SCHEDULE = r'''plan,service,every_months,every_km,lead_days,lead_km,pattern
standard,oil,12,15000,30,1000,"\boil\b|\bмасл|\balyv|\btepal"
standard,brake-fluid,24,,30,,"brake\s*fluid|тормозн\w*\s+жидкост|stabdžių\s+skys"
standard,timing-belt,72,120000,60,5000,"timing\s*belt|\bГРМ\b|paskirstymo\s+dirž"
taxi,oil,6,10000,14,1000,"\boil\b|\bмасл|\balyv|\btepal"
taxi,brake-pads,,30000,,2000,"brake\s*pads|колодк|trinkel"
taxi,inspection,6,,14,,"inspection|техосмотр|techninė\s+apžiūra"
gov-quarterly,tour,3,,14,,"\btour\b|\bобход|\bapžiūra"
gov-quarterly,oil,12,15000,30,1000,"\boil\b|\bмасл|\balyv|\btepal"
gov-half-yearly,tour,6,,21,,"\btour\b|\bобход|\bapžiūra"
gov-half-yearly,oil,12,15000,30,1000,"\boil\b|\bмасл|\balyv|\btepal"
gov-yearly,tour,12,,30,,"\btour\b|\bобход|\bapžiūra"
gov-yearly,oil,12,15000,30,1000,"\boil\b|\bмасл|\balyv|\btepal"
'''

CAMPAIGNS = '''campaign,vin_pattern,title
R-2026-014,^WVWZZZ1K.{2}8,Airbag inflator replacement
R-2026-022,^YV1.{6}[MN],Fuel pump relay
R-2026-031,^XTA.{13}[05],Brake hose inspection
'''

FIRST = ["Jonas", "Ona", "Tomas", "Rūta", "Mantas", "Eglė", "Darius", "Aistė",
         "Žydrūnas", "Gintarė", "Šarūnas", "Lina"]
LAST = ["Petraitis", "Kazlauskienė", "Jankauskas", "Žukauskaitė", "Stankevičius",
        "Vasiliauskas", "Butkus", "Šimkutė", "Paulauskas", "Urbonas"]
RUFIRST = ["Иван", "Ольга", "Сергей", "Наталья", "Дмитрий", "Елена"]
RULAST = ["Петров", "Смирнова", "Кузнецов", "Иванова", "Волков", "Соколова"]  # paired
DEALERS = ["D%02d" % i for i in range(1, 13)]
MAKES = [("WVWZZZ1K", "VW"), ("WBA", "BMW"), ("YV1", "Volvo"), ("TMB", "Skoda"),
         ("VF1", "Renault"), ("XTA", "Lada")]

OIL = ["oil", "Oil change (synthetic 5W30)", "Oil and filter service",
       "Замена масла и фильтра", "ЗАМЕНА МАСЛА", "Alyvos keitimas",
       "Variklio tepalų keitimas"]
BRAKE = ["brake-fluid", "Brake fluid flush", "Замена тормозной жидкости",
         "Stabdžių skysčio keitimas"]
BELT = ["timing-belt", "Timing belt kit replaced", "Замена ремня ГРМ",
        "Paskirstymo diržo keitimas"]
PADS = ["brake-pads", "Front brake pads", "Замена колодок", "Stabdžių trinkelės"]
INSP = ["inspection", "Technical inspection", "Техосмотр",
        "TECHNINĖ APŽIŪRA"]
TOUR = ["tour", "*", "Service tour", "Плановый обход", "Plano apžiūra"]
OTHER = ["Wiper blades", "Замена лампы", "Padangų montavimas", "Car wash",
         "Диагностика подвески", ""]

counter = [0]


def vin(kind=None):
    counter[0] += 1
    n = counter[0]
    wmi, make = kind or pick(MAKES)
    body = wmi + "Z" * (9 - len(wmi))
    year = "ABCDEFGHJKLMNPRSTV"[rnd(18)]
    plant = "8" if (wmi == "WVWZZZ1K" and n % 3 == 0) else "W0123456789"[rnd(11)]
    return "%s%s%s%06d" % (body, year, plant, 100000 + n * 37)


def d(x):
    return x.isoformat()


rows = []   # vin, date, km, services, plan, customer, phone, email, class, dealer


def person():
    if rnd(4) == 0:
        i = rnd(len(RUFIRST))
        return "%s %s" % (RUFIRST[i], RULAST[i])
    return "%s %s" % (pick(FIRST), pick(LAST))


def phone():
    return "+3706%07d" % rnd(10000000)


def history(v, plan_value, cust, ph, mail, cls, dealer, start, daily,
            visits, km0=5, keep_km=True):
    """A delivery row, then visits: (days after delivery, services)."""
    km = km0
    day = start
    rows.append([v, d(day), str(km), "", plan_value, cust, ph, mail, cls, dealer])
    last = day
    for off, svc in visits:
        vd = start + dt.timedelta(days=off)
        if vd > ASOF:
            break
        km += daily * (vd - last).days + rnd(daily + 1)
        last = vd
        kmv = str(km) if keep_km else ""
        rows.append([v, d(vd), kmv, svc, "", cust, ph, mail, cls, dealer])


# Private customers: the default plan (plan column mostly empty).
for i in range(190):
    v = vin()
    start = dt.date(2019, 1, 15) + dt.timedelta(days=rnd(2700))
    daily = 15 + rnd(50)
    visits = []
    t = 0
    while t < 3000:
        t += 300 + rnd(160)            # about yearly, some late
        svc = [pick(OIL)]
        if len(visits) % 2 == 1:
            svc.append(pick(BRAKE))
        if t > 2000 and rnd(4) == 0:
            svc.append(pick(BELT))
        if rnd(3) == 0:
            svc.append(pick(OTHER))
        s = "; ".join(x for x in svc if x)
        if rnd(12) == 0:
            s = "*"
        visits.append((t, s))
    plan = "standard" if rnd(5) == 0 else ""
    cust = person()
    history(v, plan, cust, phone(),
            cust.split()[0].lower().replace("ū", "u").replace("ė", "e")
            .replace("ž", "z").replace("š", "s") + "@example.lt"
            if cust[0] < "\u0400" else "", "private", pick(DEALERS[:8]),
            start, daily, visits)

# A recall closed on one VW, a rollback on two cars.
vw = [r for r in rows if r[0][10] == "8" and r[0].startswith("WVW")]
rows.append([vw[0][0], "2026-10-02", "", "R-2026-014", "", vw[0][5], vw[0][6],
             vw[0][7], "private", vw[0][9]])

# The taxi fleet: UAB "Sostinės taksi", many km a day.
for i in range(48):
    v = vin(pick(MAKES[2:5]))
    start = dt.date(2023, 3, 1) + dt.timedelta(days=rnd(900))
    daily = 180 + rnd(140)
    visits = []
    t = 0
    while t < 1400:
        t += 45 + rnd(60)
        svc = [pick(OIL)]
        if rnd(2) == 0:
            svc.append(pick(PADS))
        if rnd(3) == 0:
            svc.append(pick(INSP))
        visits.append((t, "; ".join(svc)))
    history(v, "taxi", 'UAB "Sostinės taksi"', "+37052000700",
            "parkas@sostines-taksi.lt", "fleet", "D03", start, daily, visits)

# Two taxis that need a person: one parked since it was bought used (its
# odometer has not moved: zero_rate), one whose readings were never typed in
# (no_km).
for kmv, v in (("52 000", vin(MAKES[4])), ("", vin(MAKES[3]))):
    for day, svc in (("2026-02-02", ""), ("2026-04-20", "Техосмотр; замена масла"),
                     ("2026-08-03", "Oil change; front brake pads")):
        rows.append([v, day, kmv, svc, "taxi", 'UAB "Sostinės taksi"',
                     "+37052000700", "parkas@sostines-taksi.lt", "fleet", "D03"])

# Government bodies and embassies on tour plans.
GOV = [("gov-quarterly", "Vilniaus apskrities VPK", "+37052717000",
        "ukis@vpk.lt", "government", 91),
       ("gov-quarterly", "Greitosios pagalbos stotis", "+37052633000",
        "transportas@gmp.lt", "government", 91),
       ("gov-half-yearly", "Valstybinė mokesčių inspekcija", "+37052687800",
        "ukis@vmi.lt", "government", 182),
       ("gov-yearly", "Seimo kanceliarija", "+37052396000",
        "transportas@lrs.lt", "government", 365),
       ("gov-half-yearly", "Embassy of Sweden", "+37052685010",
        "ambassaden.vilnius@gov.se", "embassy", 182),
       ("gov-yearly", "Посольство Республики Казахстан", "+37052122000",
        "vilnius@mfa.kz", "embassy", 365)]
for plan, cust, ph, mail, cls, every in GOV:
    for i in range(6):
        v = vin()
        start = dt.date(2022, 1, 10) + dt.timedelta(days=rnd(800))
        visits = []
        t = 0
        while t < 2000:
            t += every - 10 + rnd(25)
            svc = pick(TOUR)
            if rnd(4) == 0 and svc != "*":
                svc += "; " + pick(OIL)
            visits.append((t, svc))
        history(v, plan, cust, ph, mail, cls, pick(DEALERS[:4]), start,
                20 + rnd(40), visits, keep_km=(i != 5))

# Rollbacks: a reading typed too low.
for r in [r for r in rows if r[2] and int(r[2].replace(" ", "")) > 10000][20:120:90]:
    if r[2]:
        rows.append([r[0], d(dt.date.fromisoformat(r[1]) + dt.timedelta(days=3)),
                     str(int(r[2].replace(" ", "")) // 10), "Car wash", "", r[5], r[6], r[7], r[8],
                     r[9]])

rows.sort(key=lambda r: (r[1], r[0]))


def csvq(f, delim=","):
    if f == "" or any(c in f for c in (delim, '"', "\n", "\r")):
        if f == "":
            return ""
        return '"' + f.replace('"', '""') + '"'
    return f


with open(os.path.join(out, "svc-history.csv"), "w", encoding="utf-8") as fh:
    fh.write("vin,date,km,services,plan,customer,phone,email,client_class,dealer\n")
    for r in rows:
        fh.write(",".join(csvq(x) for x in r) + "\n")
with open(os.path.join(out, "svc-schedule.csv"), "w", encoding="utf-8") as fh:
    fh.write(SCHEDULE)
with open(os.path.join(out, "svc-campaigns.csv"), "w", encoding="utf-8") as fh:
    fh.write(CAMPAIGNS)

# The Excel export of the Klaipėda branch: ';', BOM, DD.MM.YYYY, km with a
# space as the thousands separator, its own (Lithuanian) column names, CRLF.
EX = [
    ("TMBZZZ1ZZL8100001", "", "Vytautas Kairys", "+37064011111",
     [("2021-03-14", 12, ""), ("2022-03-20", 16400, "Alyvos keitimas"),
      ("2023-04-02", 31750, "Alyvos keitimas; Stabdžių skysčio keitimas"),
      ("2024-04-11", 46800, "Variklio tepalų keitimas"),
      ("2025-10-30", 69990, "Padangų montavimas")]),
    ("VF1ZZZZZZN8100002", "", "Регина Мацкевич", "+37064022222",
     [("2023-06-01", 8, ""), ("2024-05-28", 14100, "Замена масла"),
      ("2025-06-02", 28800, "ЗАМЕНА МАСЛА; замена тормозной жидкости")]),
    ("YV1ZZZZZZP8100003", "", "UAB Uosto logistika", "+37046333333",
     [("2020-09-09", 20, ""), ("2021-09-01", 24800, "oil"),
      ("2022-08-30", 49850, "oil;brake-fluid"),
      ("2023-09-05", 74120, "oil"), ("2024-08-28", 99050, "oil;brake-fluid"),
      ("2025-09-01", 121900, "Paskirstymo diržo keitimas; oil")]),
    ("WBAZZZZZZR8100004", "", "Laura Mickutė", "+37064044444",
     [("2024-12-20", 15, ""), ("2025-12-15", 9800, "Alyvos keitimas")]),
    ("WVWZZZ1KZP8100005", "gov-half-yearly", "Klaipėdos uosto direkcija",
     "+37046499799",
     [("2025-02-03", 10, ""), ("2025-08-04", 6100, "Plano apžiūra"),
      ("2026-02-02", 12800, "Plano apžiūra; alyvos keitimas"),
      ("2026-06-01", 16400, "PLANO APŽIŪRA")]),
]


def kmfmt(n):
    s = str(n)
    if n >= 1000:
        s = s[:-3] + " " + s[-3:]
    return s


with open(os.path.join(out, "svc-history-excel.csv"), "w", encoding="utf-8",
          newline="") as fh:
    fh.write("\ufeffVIN;Data;Rida;Darbai;Planas;Klientas;Telefonas\r\n")
    for v, plan, cust, ph, visits in EX:
        for i, (date, km, svc) in enumerate(visits):
            y, m, dd = date.split("-")
            fh.write(";".join([v, "%s.%s.%s" % (dd, m, y), kmfmt(km),
                               csvq(svc, ";"), plan if i == 0 else "",
                               csvq(cust, ";"), ph]) + "\r\n")
