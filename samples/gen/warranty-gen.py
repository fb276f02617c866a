#!/usr/bin/env python3
"""Generate large warranty-check inputs (deterministic: same output every run).

    python3 samples/gen/warranty-gen.py DIR [CONTRACTS [CLAIMS]]

Writes DIR/warranty-contracts-big.csv (default 300000 contracts) and
DIR/warranty-claims-big.csv (default 1000000 claims) that fit
samples/warranty-terms.csv and samples/warranty-components.csv: claims on
contracted vehicles and on unknown ones, part names in English, Russian and
Lithuanian (and some that no pattern knows), free-text descriptions, a few
claims with the component given.  For benchmarks; the small hand-written
samples are the ones the examples and tests use.
"""
import datetime as dt
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
NCON = int(sys.argv[2]) if len(sys.argv) > 2 else 300000
NCLAIM = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000

seed = 20261120


def rnd(n):
    """LCG: an integer in 0..n-1."""
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    return (seed >> 33) % n


def pick(xs):
    return xs[rnd(len(xs))]


WMI = ["WVW", "WBA", "YV1", "TMB", "VF1", "XTA"]
ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
TIERS = ["basic-6m", "extended-12m", "extended-24m", "extended-36m"]
PARTS = [
    "Engine", "VARIKLIS", "Двигатель", "Gearbox", "PAVARŲ DĖŽĖ",
    "Коробка передач", "Clutch kit", "Turbocharger", "Alternator",
    "STARTERIS", "Стартер", "Wiring harness", "ECU", "Генератор",
    "A/C compressor", "Kondicionierius", "Отопитель", "Steering rack",
    "Vairo kolonėlė", "Рулевая рейка", "Brake caliper", "Stabdžių diskas",
    "Тормозной суппорт", "Traction battery", "Door handle", "Ступица",
    "Wiper blade", "Seat belt", "", "",
]
DESCS = [
    "Customer reports noise when cold",
    "Variklis trūkčioja, dega kontrolinė lemputė",
    "Стук при разгоне, горит Check Engine",
    "No cold air from vents",
    "Rust spots on the rear wheel arch",
    "Neužsiveda iš ryto",
    "Течь масла из-под коробки",
    "Intermittent fault, could not reproduce",
    "",
]
BASE = dt.date(2020, 1, 1)


def vin():
    return pick(WMI) + "".join(pick(ALNUM) for _ in range(14))


def main():
    os.makedirs(out, exist_ok=True)
    vins = []
    with open(os.path.join(out, "warranty-contracts-big.csv"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write("vin,customer,dealer,tier,start_date,start_km,status\n")
        while len(vins) < NCON:
            v = vin()
            n = 1 + (rnd(4) == 0)
            start = BASE + dt.timedelta(days=rnd(6 * 365))
            km = rnd(120000)
            for k in range(n):
                if len(vins) >= NCON:
                    break
                vins.append(v)
                status = "void" if rnd(50) == 0 else ""
                f.write("%s,Customer %d,D%02d,%s,%s,%d,%s\n" % (
                    v, len(vins), 1 + rnd(12), pick(TIERS),
                    (start + dt.timedelta(days=180 * k)).isoformat(),
                    km + 9000 * k, status))
    with open(os.path.join(out, "warranty-claims-big.csv"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write("claim_id,dealer,vin,date,km,part,description,component\n")
        for i in range(NCLAIM):
            v = pick(vins) if rnd(10) else vin()
            d = BASE + dt.timedelta(days=365 + rnd(6 * 365))
            desc = pick(DESCS)
            if "," in desc:
                desc = '"' + desc + '"'
            comp = "powertrain" if rnd(20) == 0 else ""
            f.write("W-%07d,D%02d,%s,%s,%d,%s,%s,%s\n" % (
                i + 1, 1 + rnd(12), v, d.isoformat(), rnd(250000),
                pick(PARTS), desc, comp))


main()
