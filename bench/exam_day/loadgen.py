"""
The load generator (asyncio + aiohttp), run in its own process by run.py; no Django here.

    loadgen.py hammer  --kind ceiling|save --concurrency C --seconds S ...
    loadgen.py spread  --officers N ...    # sign in + start, spread over 60 s
    loadgen.py examday --officers N --seconds S ...  # all start at one second, then save
                                                     # every 7-13 s, submit near the end

Every run is bounded in time; each writes a JSON summary (and the acknowledged answers).
"""
import argparse
import asyncio
import json
import os
import random
import secrets
import string
import time

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=60)


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def summarize(samples, seconds=None):
    """samples: list of (latency_ms, ok). Returns count, errors, p50/p95/p99, rate."""
    lat = [ms for ms, ok in samples if ok]
    out = {"count": len(samples), "ok": len(lat), "errors": len(samples) - len(lat),
           "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99),
           "max": max(lat) if lat else None}
    if seconds:
        out["per_s"] = round(len(lat) / seconds, 1)
    return out


async def bounded(coros, timeout):
    """Run the coroutines for at most `timeout` s; cancel the rest; return how many."""
    tasks = [asyncio.ensure_future(c) for c in coros]
    _, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return len(pending)


def cpu_ticks():
    with open("/proc/stat") as fh:
        fields = [int(v) for v in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields), idle


class Stats:
    def __init__(self):
        self.samples = {}
        self.codes = {}

    def add(self, kind, ms, ok, code, at):
        self.samples.setdefault(kind, []).append((ms, ok, at))
        if not ok:
            key = f"{kind}:{code}"
            self.codes[key] = self.codes.get(key, 0) + 1

    def table(self, since=None, until=None, seconds=None):
        out = {}
        for kind, rows in self.samples.items():
            picked = [(ms, ok) for ms, ok, at in rows
                      if (since is None or at >= since) and (until is None or at <= until)]
            out[kind] = summarize(picked, seconds)
        return out


class Officer:
    def __init__(self, info, base):
        self.info = info
        self.base = base
        self.cookies = {"csrftoken": "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32))}
        self.seq = 0
        self.last_headers = {}  # of the last response (e.g. a redirect's Location)

    def header(self, extra=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "X-CSRFToken": self.cookies["csrftoken"], "User-Agent": "lianbing-bench/1"}
        headers.update(extra or {})
        return headers

    async def call(self, http, stats, kind, method, path, ok_codes, **kwargs):
        started = time.perf_counter()
        code = None
        try:
            async with http.request(method, self.base + path, headers=self.header(
                    kwargs.pop("headers", None)), allow_redirects=False, **kwargs) as resp:
                body = await resp.read()
                code = resp.status
                self.last_headers = resp.headers
                for name, morsel in resp.cookies.items():
                    self.cookies[name] = morsel.value
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            body, code = b"", type(exc).__name__
            self.last_headers = {}
        ms = (time.perf_counter() - started) * 1000
        ok = code in ok_codes
        stats.add(kind, ms, ok, code, time.monotonic())
        return ok, code, body


async def start_sequence(officer, http, stats, exam_id, attempt_id, login, password):
    """(Sign in,) open the start page, begin, open the exam page; return True if all ok."""
    if login:
        ok, _, _ = await officer.call(http, stats, "login page", "GET", "/accounts/login/", {200})
        if not ok:
            return False
        ok, _, _ = await officer.call(
            http, stats, "login", "POST", "/accounts/login/", {302},
            data={"username": officer.info["username"], "password": password,
                  "csrfmiddlewaretoken": officer.cookies["csrftoken"]})
        if not ok:
            return False
    ok, _, _ = await officer.call(http, stats, "start page", "GET", f"/exams/{exam_id}/", {200})
    if not ok:
        return False
    ok, _, _ = await officer.call(http, stats, "begin (start)", "POST",
                                  f"/exams/attempt/{attempt_id}/begin/", {302},
                                  data={"csrfmiddlewaretoken": officer.cookies["csrftoken"]})
    if not ok:
        return False
    ok, _, _ = await officer.call(http, stats, "exam page", "GET",
                                  f"/exams/attempt/{attempt_id}/", {200})
    return ok


def session_factory():
    return aiohttp.ClientSession(
        # An idle connection is dropped after 1 s, before gunicorn's keep-alive (2 s) closes
        # it: otherwise a request sent on a connection the server is closing fails with a
        # reset (a client-side race, not a server error; browsers retry those).
        connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=3600, keepalive_timeout=1.0),
        cookie_jar=aiohttp.DummyCookieJar(), timeout=TIMEOUT)


async def run_spread(args, plan):
    """N officers sign in and start, each at a random second within the window."""
    stats = Stats()
    exam = plan["exam"]
    officers = [Officer(o, args.base) for o in plan["officers"][:args.officers]]
    results = []
    t0 = time.monotonic()
    cpu0, lg0 = cpu_ticks(), os.times()

    async with session_factory() as http:
        async def one(officer):
            await asyncio.sleep(random.uniform(0, args.window))
            entry = exam["by_officer"][str(officer.info["id"])]
            results.append(await start_sequence(officer, http, stats, exam["exam"],
                                                entry["attempt"], True, plan["password"]))

        unfinished = await bounded([one(o) for o in officers], args.window + 120)
    took = time.monotonic() - t0
    return {"phase": "spread", "officers": args.officers, "window_s": args.window,
            "seconds": round(took, 1), "started_ok": sum(results), "unfinished": unfinished,
            "requests": stats.table(seconds=took), "errors": stats.codes,
            "cpu": cpu_report(cpu0, lg0)}


def cpu_report(cpu0, lg0):
    (total1, idle1), lg1 = cpu_ticks(), os.times()
    total0, idle0 = cpu0
    busy = 1 - (idle1 - idle0) / max(1, total1 - total0)
    wall = lg1.elapsed - lg0.elapsed
    loadgen = (lg1.user + lg1.system - lg0.user - lg0.system)
    return {"machine_busy_pct": round(busy * 100, 1),
            "loadgen_cpu_pct_of_one_core": round(100 * loadgen / max(wall, 1e-9), 1)}


def answer_for(qtype, officer):
    officer.seq += 1
    # A realistic choice, made unique by a per-officer sequence number so that the
    # answers in the database can be compared with the acknowledged ones exactly.
    choice = random.choice("ABCD") if qtype == "single" else random.choice(["对", "错"])
    return f"{choice}#{officer.seq}"


async def run_examday(args, plan):
    stats = Stats()
    exam = plan["exam"]
    officers = [Officer(o, args.base) for o in plan["officers"][:args.officers]]
    for officer in officers:
        if not args.login:  # --login: each officer signs in first, within the start window
            officer.cookies["sessionid"] = officer.info["session"]
    acks = {}
    t0 = time.monotonic() + 2.0
    end = t0 + args.seconds
    started_at = {}
    submit_window = args.submit_window
    cpu0, lg0 = cpu_ticks(), os.times()

    async with session_factory() as http:
        async def one(officer):
            entry = exam["by_officer"][str(officer.info["id"])]
            attempt, qtypes = entry["attempt"], entry["qtypes"]
            mine = acks.setdefault(str(attempt), {})
            # --start-window 0: everyone at the same second; else spread over the window
            await asyncio.sleep(max(0, t0 - time.monotonic()) + random.uniform(
                0, args.start_window))
            if not await start_sequence(officer, http, stats, exam["exam"], attempt, args.login,
                                        plan["password"]):
                return
            started_at[attempt] = time.monotonic()
            if args.start_only:
                return
            submit_at = random.uniform(end - submit_window, end)
            while True:
                await asyncio.sleep(random.uniform(7, 13))  # think time
                if time.monotonic() >= submit_at:
                    break
                position = random.randint(1, len(qtypes))
                value = answer_for(qtypes[position - 1], officer)
                state = mine.setdefault(str(position), {"acked": None, "doubt": []})
                state["doubt"].append(value)  # in doubt until the server answers
                ok, code, body = await officer.call(
                    http, stats, "save", "POST", f"/exams/attempt/{attempt}/save/", {200},
                    data=json.dumps({"position": position, "answer": value, "flagged": None}),
                    headers={"Content-Type": "application/json"})
                if ok and json.loads(body).get("ok"):
                    state["acked"], state["doubt"] = value, []
                elif isinstance(code, int) and code < 500:
                    state["doubt"].remove(value)  # refused: the server did not store it
                # else (no answer, 5xx): the server may or may not have it; stays in doubt
            await asyncio.sleep(max(0, submit_at - time.monotonic()))
            await officer.call(http, stats, "submit", "POST",
                               f"/exams/attempt/{attempt}/submit/", {200},
                               headers={"Accept": "application/json"})

        unfinished = await bounded([one(o) for o in officers], args.seconds + 150)
    finished = time.monotonic()
    all_started = max(started_at.values()) if started_at else t0
    steady_from = all_started + 10
    steady_until = end - submit_window
    steady = max(1.0, steady_until - steady_from)
    start_kinds = ("login page", "login", "start page", "begin (start)", "exam page")
    table = stats.table(seconds=finished - t0)
    steady_table = stats.table(since=steady_from, until=steady_until, seconds=steady)
    return {"phase": "examday", "officers": args.officers, "seconds": args.seconds,
            "start_window": args.start_window, "unfinished": unfinished,
            "started_ok": len(started_at),
            "all_started_after_s": round(all_started - t0, 1),
            "steady_window_s": round(steady, 1),
            "requests": table, "steady_saves": steady_table.get("save"),
            "start_requests": {k: table[k] for k in start_kinds if k in table},
            "errors": stats.codes, "cpu": cpu_report(cpu0, lg0)}, acks


async def run_hammer(args, plan):
    """Closed loop: `concurrency` clients post answers back to back for `seconds`."""
    stats = Stats()
    hammer = plan["hammer"]["by_officer"]
    by_id = {str(o["id"]): o for o in plan["officers"]}
    pool = []
    for officer_id, entry in hammer.items():
        officer = Officer(by_id[officer_id], args.base)
        officer.cookies["sessionid"] = officer.info["session"]
        officer.cookies["lb_device"] = f"hammer-{officer_id}"
        pool.append((officer, entry))
    cpu0, lg0 = cpu_ticks(), os.times()
    deadline = time.monotonic() + args.seconds
    async with session_factory() as http:
        async def worker():
            while time.monotonic() < deadline:
                officer, entry = random.choice(pool)
                position = random.randint(1, len(entry["qtypes"]))
                value = answer_for(entry["qtypes"][position - 1], officer)
                if args.kind == "ceiling":
                    await officer.call(http, stats, "ceiling save", "POST",
                                       "/bench/ceiling/save/", {200},
                                       data=json.dumps({"attempt": entry["attempt"],
                                                        "position": position, "answer": value}),
                                       headers={"Content-Type": "application/json"})
                else:
                    await officer.call(http, stats, "save", "POST",
                                       f"/exams/attempt/{entry['attempt']}/save/", {200},
                                       data=json.dumps({"position": position, "answer": value,
                                                        "flagged": None}),
                                       headers={"Content-Type": "application/json"})

        await bounded([worker() for _ in range(args.concurrency)], args.seconds + 90)
    return {"phase": "hammer", "kind": args.kind, "concurrency": args.concurrency,
            "seconds": args.seconds, "requests": stats.table(seconds=args.seconds),
            "errors": stats.codes, "cpu": cpu_report(cpu0, lg0)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["hammer", "spread", "examday"])
    parser.add_argument("--plan", required=True)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--officers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--window", type=float, default=60)
    parser.add_argument("--submit-window", type=float, default=30)
    parser.add_argument("--start-window", type=float, default=0)
    parser.add_argument("--start-only", action="store_true")
    parser.add_argument("--login", action="store_true",
                        help="examday: sign in (login page + POST) instead of using the "
                             "sessions made in the database")
    parser.add_argument("--kind", choices=["ceiling", "save"], default="ceiling")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--out", required=True)
    parser.add_argument("--acks")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600)  # bounded whatever is asked
    with open(args.plan) as fh:
        plan = json.load(fh)
    if args.mode == "hammer":
        result = asyncio.run(run_hammer(args, plan))
    elif args.mode == "spread":
        result = asyncio.run(run_spread(args, plan))
    else:
        result, acks = asyncio.run(run_examday(args, plan))
        with open(args.acks, "w") as fh:
            json.dump(acks, fh)
    with open(args.out, "w") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
