#!/usr/bin/env python3
"""cli_fuzz.py — mutate the sample inputs and run the programs on them.

    python3 tests/fuzz/cli_fuzz.py [SECONDS] [BINDIR]

Build the programs with `make SANITIZE=1` first (BINDIR defaults to bin/).
Each round takes a sample stream or table, flips, inserts, deletes or
duplicates bytes (quotes, delimiters, CR, LF, NUL, invalid UTF-8, digits,
long runs), runs the program with a timeout and checks: exit status 0-3,
no sanitizer report, no "Segmentation", no timeout.  A failure is kept in
build/fuzz/cli/ as the input and the command line (a shell script), once
per distinct first error line.
"""
import os, random, shutil, subprocess, sys, tempfile, time

top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
S = os.path.join(top, "samples")
secs = float(sys.argv[1]) if len(sys.argv) > 1 else 60
bindir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(top, "bin")
tools = os.path.join(os.path.dirname(bindir), "build", "tools")
out = os.path.join(top, "build", "fuzz", "cli")
AS = ["--as-of", "2026-11-20 10:00", "--tz", "Europe/Vilnius"]

def s(n):
    return os.path.join(S, n)

# (program argv before the operand, which file is mutated, stream or table)
CASES = [
    (["svc-remind"] + AS + ["-s", s("svc-schedule.csv"), "--campaigns", s("svc-campaigns.csv"), "--all"], s("svc-history.csv"), "stream"),
    (["svc-remind"] + AS + ["-d", ";", "--date-format", "%d.%m.%Y", "--map", "vin=VIN", "--map", "date=Data", "--map", "km=Rida", "--map", "services=Darbai", "--map", "plan=Planas", "-s", s("svc-schedule.csv")], s("svc-history-excel.csv"), "stream"),
    (["svc-remind"] + AS + ["--all", "-s", "@", s("svc-history.csv")], s("svc-schedule.csv"), "table"),
    (["svc-remind"] + AS + ["-s", s("svc-schedule.csv"), "--campaigns", "@", s("svc-history.csv")], s("svc-campaigns.csv"), "table"),
    (["warranty-check"] + AS + ["-w", s("warranty-contracts.csv"), "-T", s("warranty-terms.csv"), "-c", s("warranty-components.csv")], s("warranty-claims.csv"), "stream"),
    (["warranty-check"] + AS + ["-w", "@", "-T", s("warranty-terms.csv"), "-c", s("warranty-components.csv"), s("warranty-claims.csv")], s("warranty-contracts.csv"), "table"),
    (["warranty-check"] + AS + ["-w", s("warranty-contracts.csv"), "-T", "@", "-c", s("warranty-components.csv"), s("warranty-claims.csv")], s("warranty-terms.csv"), "table"),
    (["warranty-check"] + AS + ["-w", s("warranty-contracts.csv"), "-T", s("warranty-terms.csv"), "-c", "@", s("warranty-claims.csv")], s("warranty-components.csv"), "table"),
    (["warranty-check"] + AS + ["-T", s("warranty-terms.csv"), "--expiring", "30"], s("warranty-contracts.csv"), "stream"),
    (["complaint-sla"] + AS + ["-p", s("sla-policy.csv"), "--holidays", s("holidays.csv"), "--hours", "Mon-Fri 09:00-18:00; Sat 10:00-14:00", "--summary", "priority"], s("tickets.csv"), "stream"),
    (["complaint-sla"] + AS + ["-p", "@", s("tickets.csv")], s("sla-policy.csv"), "table"),
    (["complaint-sla"] + AS + ["-p", s("sla-policy.csv"), "--holidays", "@", "--hours", "Mon-Fri 09:00-18:00", s("tickets.csv")], s("holidays.csv"), "table"),
    (["duty-roster", "audit"] + AS + ["-r", s("roster.csv")], s("calls.csv"), "stream"),
    (["duty-roster", "audit"] + AS + ["-r", "@", s("calls.csv")], s("roster.csv"), "table"),
    (["duty-roster", "check"] + AS + ["-m", s("members.csv")], s("roster.csv"), "stream"),
    (["duty-roster", "who"] + AS, s("roster.csv"), "stream"),
    (["assist-check"] + AS + ["-S", s("assist-subscriptions.csv"), "-P", s("assist-plans.csv")], s("calls.csv"), "stream"),
    (["assist-check"] + AS + ["-S", "@", "-P", s("assist-plans.csv"), s("calls.csv")], s("assist-subscriptions.csv"), "table"),
    (["assist-check"] + AS + ["-S", s("assist-subscriptions.csv"), "-P", "@", s("calls.csv")], s("assist-plans.csv"), "table"),
    (["assist-check"] + AS + ["-S", s("assist-subscriptions.csv"), "-P", s("assist-plans.csv"), "--number", "RA-20533", "--field", "coverage"], s("calls.csv"), "stream"),
    (["csvecho", "--ts", "date", "--date", "date", "--km", "km"], s("svc-history.csv"), "stream"),
]

TOKENS = [b'"', b',', b';', b'\t', b'\r', b'\n', b'\r\n', b'\x00', b'\xff', b'\xc3',
          b'\xef\xbb\xbf', b'\\', b' ', b'-', b':', b'0', b'9', b'99999999999999999999',
          b'2026-02-29', b'24:00', b'*', b'(a+)+$', b'\xe2\x80\xaf', b'""', b'a' * 300]

def mutate(data, rnd):
    data = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.random()
        pos = rnd.randrange(len(data) + 1)
        if op < 0.3 and data:
            data[min(pos, len(data) - 1)] = rnd.randrange(256)
        elif op < 0.6:
            data[pos:pos] = rnd.choice(TOKENS)
        elif op < 0.8 and data:
            del data[pos:pos + rnd.randint(1, 20)]
        else:
            a = rnd.randrange(len(data) + 1)
            data[pos:pos] = data[a:a + rnd.randint(1, 200)]
    return bytes(data)

def main():
    env = dict(os.environ, PATH=bindir + ":" + tools + ":" + os.environ["PATH"],
               TZ="UTC", LC_ALL="C.UTF-8",
               ASAN_OPTIONS="detect_leaks=0:exitcode=99",
               UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    rnd = random.Random(int(os.environ.get("SEED", time.time())))
    work = tempfile.mkdtemp()
    os.makedirs(out, exist_ok=True)
    cache = {}
    end = time.time() + secs
    runs = fails = 0
    seen = set()
    while time.time() < end:
        argv, src, kind = rnd.choice(CASES)
        if src not in cache:
            with open(src, "rb") as f:
                cache[src] = f.read()[:20000]
        data = mutate(cache[src], rnd)
        path = os.path.join(work, "in.csv")
        with open(path, "wb") as f:
            f.write(data)
        cmd = [path if a == "@" else a for a in argv]
        if kind == "stream":
            cmd.append(path)
        runs += 1
        try:
            p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=20)
            err = p.stderr
            bad = (p.returncode not in (0, 1, 2, 3) or b"Sanitizer" in err or
                   b"runtime error" in err)
            why = "exit %d" % p.returncode
        except subprocess.TimeoutExpired:
            bad, why, err = True, "timeout", b""
        if bad:
            sig = why
            for line in err.splitlines():
                if b"runtime error" in line or b"ERROR:" in line:
                    sig = line.split(b" (")[0][:160].decode("utf-8", "replace")
                    break
            if sig in seen:
                continue
            seen.add(sig)
            fails += 1
            name = os.path.join(out, "fail-%d" % fails)
            shutil.copy(path, name + ".csv")
            with open(name + ".sh", "w") as f:
                f.write("# %s\n" % why)
                f.write(" ".join("'%s'" % (name + ".csv" if a == path else a) for a in cmd) + "\n")
            with open(name + ".err", "wb") as f:
                f.write(err)
            print("FAIL (%s): %s.sh: %s" % (why, name, sig), flush=True)
    shutil.rmtree(work)
    print("cli_fuzz: %d runs, %d failures" % (runs, fails))
    return 1 if fails else 0

sys.exit(main())
