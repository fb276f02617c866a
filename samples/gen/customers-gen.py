#!/usr/bin/env python3
"""Give the vehicles of the sample service history their owners
(deterministic: the same output every run, and the same on its own output).

    svc-remind -s samples/svc-schedule.csv --campaigns samples/svc-campaigns.csv \\
        --as-of 2026-11-20 samples/svc-history.csv >due.csv
    python3 samples/gen/customers-gen.py samples/svc-history.csv due.csv

Runs after svc-gen.py, which writes the history's vehicles and visits; this
script rewrites the columns customer, phone and email of
samples/svc-history.csv in place and adds the column language (lt, ru or
en, from the name: Cyrillic is ru, an "Embassy of ..." en, any other lt).
Every other column (vin, date, km, services, plan, client_class, dealer)
is kept byte for byte, so svc-remind computes the same reminders; the
script checks that each row it keeps reads back as the line it was.

Every row of a vehicle gets its owner.  The owners:
  - the fleets and offices (client_class fleet, government, embassy): the
    taxi company, four government bodies and two embassies keep their
    names; each has one phone and one e-mail address (under example.lt, as
    every address of the samples: the nightly job sends to them);
  - the private vehicles get private customers, Lithuanian and Russian
    names (about one in four Russian), some owning two or three cars
    (a family, a small business), serviced by dealers of one region.
Their phones are unique, and so are their e-mail addresses (the name
transliterated, @example.lt); some customers have no e-mail address.

due.csv, svc-remind's reminders of the demo's night (its customer columns
are not read: only which vehicles are reminded, which does not depend on
them), shapes the owners of the reminded vehicles: the night reminds
exactly the vehicles of 60 customers, one message each, 41 by e-mail and
19 by SMS (the seven fleets and offices by e-mail, and 53 private
customers, 34 of them with an e-mail address, owning 77 reminded cars).
The script checks that count and prints it on standard error.  A private
customer may also own a car that is not due tonight.
"""
import csv
import io
import os
import sys

if len(sys.argv) != 3:
    sys.exit("usage: customers-gen.py HISTORY DUE")
hist_path, due_path = sys.argv[1], sys.argv[2]

seed = 20261120


def rnd(n):
    """LCG: an integer in 0..n-1."""
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (seed >> 33) % n


def shuffled(xs):
    xs = list(xs)
    for i in range(len(xs) - 1, 0, -1):
        j = rnd(i + 1)
        xs[i], xs[j] = xs[j], xs[i]
    return xs


# The night's target (issue 20): reminded private customers and how many of
# them have an e-mail address; the vehicles they own come from due.csv.
PRIVATE_REMINDED = 53
PRIVATE_REMINDED_EMAIL = 34

# The fleets and offices: name -> (phone, e-mail).
OFFICES = {
    'UAB "Sostinės taksi"': ("+37052000700", "parkas@sostines-taksi.example.lt"),
    "Vilniaus apskrities VPK": ("+37052717000", "ukis@vpk.example.lt"),
    "Greitosios pagalbos stotis": ("+37052633000", "transportas@gmp.example.lt"),
    "Valstybinė mokesčių inspekcija": ("+37052687800", "ukis@vmi.example.lt"),
    "Seimo kanceliarija": ("+37052396000", "transportas@lrs.example.lt"),
    "Embassy of Sweden": ("+37052685010", "ambassaden.vilnius@example.lt"),
    "Посольство Республики Казахстан": ("+37052122000", "kz.embassy@example.lt"),
}

LT_MEN = ["Jonas", "Tomas", "Mantas", "Darius", "Žydrūnas", "Šarūnas",
          "Andrius", "Mindaugas", "Paulius", "Vytautas", "Karolis", "Lukas",
          "Giedrius", "Rimantas"]
LT_WOMEN = ["Ona", "Rūta", "Eglė", "Aistė", "Gintarė", "Lina", "Jurgita",
            "Laura", "Inga", "Rasa", "Vaida", "Milda", "Neringa", "Giedrė"]
# A surname: the man's, the married woman's, the unmarried woman's.
LT_LAST = [("Petraitis", "Petraitienė", "Petraitytė"),
           ("Jankauskas", "Jankauskienė", "Jankauskaitė"),
           ("Stankevičius", "Stankevičienė", "Stankevičiūtė"),
           ("Vasiliauskas", "Vasiliauskienė", "Vasiliauskaitė"),
           ("Butkus", "Butkienė", "Butkutė"),
           ("Paulauskas", "Paulauskienė", "Paulauskaitė"),
           ("Urbonas", "Urbonienė", "Urbonaitė"),
           ("Kazlauskas", "Kazlauskienė", "Kazlauskaitė"),
           ("Navickas", "Navickienė", "Navickaitė"),
           ("Žukauskas", "Žukauskienė", "Žukauskaitė"),
           ("Šimkus", "Šimkienė", "Šimkutė"),
           ("Balčiūnas", "Balčiūnienė", "Balčiūnaitė"),
           ("Mockus", "Mockienė", "Mockutė"),
           ("Kairys", "Kairienė", "Kairytė")]
RU_MEN = ["Иван", "Сергей", "Дмитрий", "Алексей", "Николай", "Андрей",
          "Виктор", "Павел"]
RU_WOMEN = ["Ольга", "Наталья", "Елена", "Ирина", "Татьяна", "Светлана",
            "Марина", "Анна"]
RU_LAST = ["Петров", "Кузнецов", "Волков", "Смирнов", "Соколов", "Попов",
           "Морозов", "Новиков", "Лебедев", "Козлов"]   # women: + "а"

TRANSLIT = dict(zip("ąčęėįšųūž", "aceeisuuz"))
TRANSLIT.update({"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e",
                 "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "j", "к": "k",
                 "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
                 "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
                 "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
                 "э": "e", "ю": "ju", "я": "ja"})


def language(name):
    if any("\u0400" <= ch <= "\u04ff" for ch in name):
        return "ru"
    return "en" if name.startswith("Embassy") else "lt"


used_names = set()
used_phones = {p for p, _ in OFFICES.values()}


def new_name():
    """A private customer's name, never one given before."""
    while True:
        if rnd(4) == 0:
            last = RU_LAST[rnd(len(RU_LAST))]
            name = ("%s %s" % (RU_MEN[rnd(len(RU_MEN))], last) if rnd(2) else
                    "%s %sа" % (RU_WOMEN[rnd(len(RU_WOMEN))], last))
        else:
            last = LT_LAST[rnd(len(LT_LAST))]
            name = ("%s %s" % (LT_MEN[rnd(len(LT_MEN))], last[0]) if rnd(2) else
                    "%s %s" % (LT_WOMEN[rnd(len(LT_WOMEN))], last[1 + rnd(2)]))
        if name not in used_names:
            used_names.add(name)
            return name


def new_phone():
    while True:
        p = "+3706%07d" % rnd(10000000)
        if p not in used_phones:
            used_phones.add(p)
            return p


def email_of(name):
    return ".".join("".join(TRANSLIT.get(c, c) for c in part.lower())
                    for part in name.split()) + "@example.lt"


def private_customer(with_email):
    name = new_name()
    return (name, new_phone(), email_of(name) if with_email else "")


def csvq(f):
    if any(c in f for c in (",", '"', "\n", "\r")):
        return '"' + f.replace('"', '""') + '"'
    return f


# ---- the history, each line checked to read back as it was ----
with open(hist_path, encoding="utf-8", newline="") as fh:
    lines = fh.read().split("\n")
assert lines[-1] == "", "the history ends with a line end"
lines.pop()
header = next(csv.reader([lines[0]]))
KEEP = ["vin", "date", "km", "services", "plan", "customer", "phone", "email",
        "client_class", "dealer"]
assert header[:10] == KEEP and header[10:] in ([], ["language"]), header
rows = []
for line in lines[1:]:
    r = next(csv.reader(io.StringIO(line)))
    assert len(r) == len(header) and ",".join(csvq(x) for x in r) == line, line
    rows.append(r[:10])

with open(due_path, encoding="utf-8", newline="") as fh:
    due = {r["vin"] for r in csv.DictReader(fh)}

vehicles = {}   # vin -> (client_class, dealer, customer of an office)
for r in rows:
    vehicles.setdefault(r[0], (r[8], r[9], r[5]))
REGION = {"D%02d" % i: ("vilnius", "kaunas", "klaipeda")[(i - 1) // 4]
          for i in range(1, 13)}

owner = {}      # vin -> (customer, phone, email)
for v, (cls, _, cust) in vehicles.items():
    if cls != "private":
        assert cust in OFFICES, cust
        owner[v] = (cust,) + OFFICES[cust]

private = [v for v, (cls, _, _) in vehicles.items() if cls == "private"]
regions = sorted({REGION[vehicles[v][1]] for v in private})
reminded = [v for v in private if v in due]
assert len(reminded) >= PRIVATE_REMINDED, len(reminded)

# The reminded cars: PRIVATE_REMINDED customers, shared out among the
# regions as their cars are; in a region, each customer one car, and the
# cars over that added one by one to customers of fewer than three.
by_region = {g: [v for v in reminded if REGION[vehicles[v][1]] == g]
             for g in regions}
counts, left = {}, PRIVATE_REMINDED
for i, g in enumerate(regions):
    counts[g] = (left if i == len(regions) - 1 else
                 round(PRIVATE_REMINDED * len(by_region[g]) / len(reminded)))
    left -= counts[g]
with_email = shuffled([True] * PRIVATE_REMINDED_EMAIL +
                      [False] * (PRIVATE_REMINDED - PRIVATE_REMINDED_EMAIL))
customers = {}  # region -> [(customer, [vins])]
for g in regions:
    cars = shuffled(by_region[g])
    sizes = [1] * counts[g]
    for _ in range(len(cars) - counts[g]):
        while True:
            i = rnd(counts[g])
            if sizes[i] < 3:
                sizes[i] += 1
                break
    customers[g] = []
    for size in sizes:
        who = private_customer(with_email.pop())
        customers[g].append((who, cars[:size]))
        cars = cars[size:]

# The cars not due tonight: one in eight belongs to a customer of the
# night (a second car) of its region; the others to customers of their own,
# one in six of whom owns two cars of the region.
for g in regions:
    rest = shuffled(v for v in private
                    if v not in due and REGION[vehicles[v][1]] == g)
    tonight = customers[g]
    extra = []
    for v in rest:
        if rnd(8) == 0:
            tonight[rnd(len(tonight))][1].append(v)
        else:
            extra.append(v)
    while extra:
        size = 2 if len(extra) > 1 and rnd(6) == 0 else 1
        customers[g].append((private_customer(rnd(10) < 7), extra[:size]))
        extra = extra[size:]
    for who, cars in customers[g]:
        for v in cars:
            owner[v] = who

assert len(owner) == len(vehicles)
mails = [e for _, _, e in set(owner.values()) if e]
assert len(mails) == len(set(mails)), "one e-mail address per customer"

# The night's recipients: by e-mail address, else by phone (as notify).
recipients = {e or p for v, (_, p, e) in owner.items() if v in due}
by_mail = sum(1 for x in recipients if "@" in x)
print("customers-gen.py: %d vehicles of %d customers; tonight %d vehicles of "
      "%d customers: %d e-mail, %d SMS" % (
          len(vehicles), len(set(owner.values())), len(due), len(recipients),
          by_mail, len(recipients) - by_mail), file=sys.stderr)
assert (len(recipients), by_mail) == (60, 41), (len(recipients), by_mail)

tmp = hist_path + ".tmp"
with open(tmp, "w", encoding="utf-8", newline="") as fh:
    fh.write(",".join(KEEP + ["language"]) + "\n")
    for r in rows:
        cust, phone, mail = owner[r[0]]
        r = r[:5] + [cust, phone, mail] + r[8:] + [language(cust)]
        fh.write(",".join(csvq(x) for x in r) + "\n")
os.replace(tmp, hist_path)
