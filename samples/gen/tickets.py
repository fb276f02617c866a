#!/usr/bin/env python3
"""Generate samples/tickets.csv: the customer-inquiry export of the Baltic
Auto Service Union, 2026-09-01 .. 2026-11-19 (deterministic).

    python3 samples/gen/tickets.py > samples/tickets.csv
"""
import csv
import datetime as dt
import random
import sys

R = random.Random(20261120)
START = dt.datetime(2026, 9, 1, 0, 0)
END = dt.datetime(2026, 11, 19, 23, 50)   # the export was taken that night
DEALERS = ["D%02d" % i for i in range(1, 13)]
WMI = ["WVW", "WBA", "YV1", "TMB", "VF1", "XTA"]
VINCH = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

LT_NAMES = ["Jonas Kazlauskas", "Ona Petrauskienė", "Tomas Jankauskas",
            "Rūta Stankevičienė", "Mindaugas Vasiliauskas", "Eglė Žukauskaitė",
            "Darius Butkus", "Giedrė Paulauskienė", "Andrius Urbonas",
            "Laura Kavaliauskaitė", "Paulius Navickas", "Jurgita Šimkutė"]
RU_NAMES = ["Сергей Иванов", "Ольга Смирнова", "Дмитрий Кузнецов",
            "Наталья Попова", "Алексей Волков", "Ирина Морозова"]
EN_NAMES = ["Mark Ellison", "Anna Berg", "Peter Novak", "Julia Schmidt"]
# The client class of each customer (complaint-sla's policy `class`):
# the contact of an emergency service's vehicles, of an embassy or a
# municipality, of a taxi, leasing or rental fleet; everyone else private.
# By customer, so that a customer's tickets always have the same class;
# no random draw, so that the other columns stay as they were.
CLASS = {
    "Darius Butkus": "emergency",       # fire and rescue board's fleet
    "Сергей Иванов": "emergency",       # ambulance station
    "Mark Ellison": "gov",              # an embassy
    "Anna Berg": "gov",                 # an embassy
    "Giedrė Paulauskienė": "gov",       # the municipality
    "Tomas Jankauskas": "fleet",        # a taxi company
    "Алексей Волков": "fleet",          # a leasing company
    "Peter Novak": "fleet",             # a car rental
}

# (category, language) -> [(subject, text)]
TEXTS = {
    ("service", "lt"): [
        ("Techninės priežiūros registracija", "Norėčiau užsiregistruoti tepalų keitimui kitą savaitę."),
        ("Klausimas dėl aptarnavimo kainos", "Kiek kainuotų 60 000 km aptarnavimas?"),
        ("Padangų keitimas", "Reikia pakeisti padangas į žiemines, kada galima atvažiuoti?"),
        ("Kondicionieriaus patikra", "Kondicionierius silpnai vėsina, prašau patikrinti."),
    ],
    ("service", "ru"): [
        ("Запись на ТО", "Хочу записаться на техобслуживание, удобно в субботу."),
        ("Стоимость обслуживания", "Сколько стоит замена масла и фильтров?"),
        ("Шиномонтаж", "Нужна сезонная смена шин, есть ли свободное время?"),
    ],
    ("service", "en"): [
        ("Service booking", "I would like to book the annual service for my car."),
        ("Question about the invoice of the last service", "Was the cabin filter replaced?"),
    ],
    ("warranty", "lt"): [
        ("Garantinis remontas", "Po garantiniu remontu vėl dega variklio lemputė."),
        ("Garantijos klausimas", "Ar garantija apima multimedijos ekrano gedimą?"),
    ],
    ("warranty", "ru"): [
        ("Гарантийный случай", "Стучит подвеска, машина на гарантии."),
        ("Гарантия на аккумулятор", "Аккумулятор сел через 8 месяцев, это гарантия?"),
    ],
    ("warranty", "en"): [
        ("Warranty claim: gearbox", "The gearbox jerks when shifting from 2nd to 3rd."),
    ],
    ("safety", "lt"): [
        ("Neveikia stabdžiai", "Stabdžių pedalas nusileidžia iki grindų, automobilis stovi."),
        ("Oro pagalvės lemputė", "Dega oro pagalvės klaidos lemputė."),
        ("Dūmai iš po kapoto", "Važiuojant pasirodė dūmai iš po kapoto."),
    ],
    ("safety", "ru"): [
        ("Проблема с тормозами", "Тормоза скрипят и плохо держат."),
        ("Запах гари", "В салоне запах гари после поездки."),
    ],
    ("safety", "en"): [
        ("Steering wheel vibrates", "Strong vibration in the steering at 90 km/h."),
    ],
    ("billing", "lt"): [
        ("Sąskaitos klaida", "Sąskaitoje du kartus nurodytas tas pats darbas."),
        ("Mokėjimo patvirtinimas", "Prašau atsiųsti mokėjimo patvirtinimą."),
    ],
    ("billing", "ru"): [
        ("Ошибка в счёте", "В счёте указана неверная сумма за запчасти."),
    ],
    ("billing", "en"): [
        ("Invoice copy", "Please send a copy of invoice 2026/1184 with VAT."),
    ],
    ("parts", "lt"): [
        ("Detalės užsakymas", "Kada atvyks užsakytas galinis žibintas?"),
        ("Originalios dalys", "Ar turite originalių valytuvų šepetėlių?"),
    ],
    ("parts", "ru"): [
        ("Заказ запчастей", "Когда придут заказанные фильтры?"),
    ],
    ("sales", "lt"): [
        ("Bandomasis važiavimas", "Norėčiau išbandyti naują modelį šeštadienį."),
        ("Automobilio keitimas", "Kiek būtų įvertintas mano automobilis keičiant į naują?"),
    ],
    ("sales", "en"): [
        ("Test drive", "Is the plug-in hybrid available for a test drive?"),
    ],
    ("complaint", "lt"): [
        ("Nepatenkintas aptarnavimu", "Automobilis grąžintas purvinas, niekas nepaskambino."),
        ("Vėluojantis remontas", "Remontas užtruko dvi savaites ilgiau nei žadėta."),
    ],
    ("complaint", "ru"): [
        ("Жалоба на обслуживание", "Машину держали неделю без объяснений."),
    ],
}
CATS = [("service", 34), ("warranty", 12), ("safety", 5), ("billing", 12),
        ("parts", 14), ("sales", 10), ("complaint", 8), ("", 5)]
CHANNELS = [("phone", 35), ("e-mail", 30), ("chat", 15), ("app", 20)]


def pick(weighted):
    total = sum(w for _, w in weighted)
    x = R.uniform(0, total)
    for v, w in weighted:
        x -= w
        if x <= 0:
            return v
    return weighted[-1][0]


def vin():
    return R.choice(WMI) + "".join(R.choice(VINCH) for _ in range(14))


def office(t):
    """Move t into office hours (Mon-Fri 08-18, Sat 09-14) if outside."""
    while True:
        wd = t.weekday()
        if wd < 5 and 8 <= t.hour < 18:
            return t
        if wd == 5 and 9 <= t.hour < 14:
            return t
        t = (t + dt.timedelta(hours=1)).replace(minute=R.randrange(0, 60, 5))


def stamp(t, style):
    if style == 0:
        return t.strftime("%Y-%m-%d %H:%M")
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main():
    rows = []
    t = START
    n = 0
    while True:
        t += dt.timedelta(minutes=R.expovariate(1 / 250))
        if t > END:
            break
        channel = pick(CHANNELS)
        recv = t.replace(second=0, microsecond=0)
        if channel in ("phone", "chat"):
            recv = office(recv)
            if recv > END:
                break
            t = max(t, recv)
        cat = pick(CATS)
        lang = pick([("lt", 60), ("ru", 25), ("en", 15)])
        key = (cat or "service", lang)
        if key not in TEXTS:
            key = (key[0], "lt")
        subject, text = R.choice(TEXTS[key])
        name = R.choice({"lt": LT_NAMES, "ru": RU_NAMES, "en": EN_NAMES}[lang])
        n += 1
        tid = "T26-%05d" % (4100 + n)
        urgent = cat in ("safety", "warranty")
        prio = ""
        if channel == "phone" and R.random() < 0.15:
            prio = "urgent" if urgent or R.random() < 0.3 else "normal"
        # Acknowledgement.
        if channel == "phone":
            ack = recv + dt.timedelta(minutes=R.randrange(0, 3))
        elif channel == "chat":
            ack = recv + dt.timedelta(minutes=R.randrange(1, 15))
        else:
            base = office(recv)
            ack = base + dt.timedelta(minutes=R.randrange(5, 150))
            if R.random() < 0.03:
                ack += dt.timedelta(hours=R.randrange(20, 60))
        # Answer and resolution.
        fast = urgent or prio == "urgent"
        hours = R.choice([1, 2, 3]) if fast else R.choice([2, 5, 20, 26, 30, 44])
        if R.random() < 0.04:
            hours += R.randrange(30, 90)
        resp = office(ack + dt.timedelta(hours=hours, minutes=R.randrange(0, 60)))
        if channel == "phone" and not fast and R.random() < 0.3:
            resp = ack          # answered on the call
        resol = office(resp + dt.timedelta(days=R.randrange(0, 8), hours=R.randrange(0, 8)))
        ack_s = resp_s = resol_s = ""
        if ack <= END:
            ack_s = stamp(ack, R.random() < 0.1)
        if resp <= END:
            resp_s = stamp(resp, 0)
        if resol <= END:
            resol_s = stamp(resol, 0)
        # Some agents record only the answer or only the resolution.
        if channel == "phone" and resp_s and resp == ack and R.random() < 0.5:
            ack_s = ""
        if resol_s and resol - recv < dt.timedelta(hours=20) and R.random() < 0.5:
            resp_s = ""
            ack_s = ""
        rows.append([tid, stamp(recv, 0), channel, R.choice(DEALERS), name,
                     CLASS.get(name, "private"), vin(),
                     cat, prio, subject, text, ack_s, resp_s, resol_s])
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "received_at", "channel", "dealer", "customer", "class", "vin",
                "category", "priority", "subject", "text", "acknowledged_at",
                "responded_at", "resolved_at"])
    w.writerows(rows)


if __name__ == "__main__":
    main()
