"""
The manager and the judges over HTTP (asyncio + aiohttp, no Django), run in their own
process by run.py while exam_day/loadgen.py drives the officers.

    clients.py --plan whole.json --base http://127.0.0.1:8775 --seconds 120 \
        --out clients.json --marks marks.json --exports-dir exports/

Manager: signs in, then until the window ends, back to back: opens the corps dashboard,
starts the full-scope Excel export (POST), opens the job page, polls the job's status
every second until it is finished and downloads the file (checked with openpyxl by
run.py afterwards, so that parsing does not stall this process's clock).

Judges: each signs in, opens the list of assigned events, then round by round (event by
event) marks every entry through the real pages: the event's list, the marking page,
the form posted as a draft (and the page it redirects to), then submitted (which locks
the mark) and back to the list. No new entry is begun after the window.

Every request is timed and counted with exam_day.loadgen's Stats; a request whose status
is not the one a browser would get is an error. Bounded in time.
"""
import argparse
import asyncio
import json
import os
import random
import time
from pathlib import Path

from exam_day.loadgen import Officer as Client
from exam_day.loadgen import Stats, bounded, cpu_report, cpu_ticks, session_factory

POLL_S = 1.0


async def sign_in(client, http, stats, password, who):
    ok, _, _ = await client.call(http, stats, f"{who}: login page", "GET", "/accounts/login/",
                                 {200})
    if not ok:
        return False
    ok, _, _ = await client.call(http, stats, f"{who}: login", "POST", "/accounts/login/", {302},
                                 data={"username": client.info["username"], "password": password,
                                       "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    return ok


async def manager(args, plan, http, stats, end, exports):
    info = plan["manager"]
    client = Client({"username": info["username"]}, args.base)
    if not await sign_in(client, http, stats, plan["password"], "manager"):
        exports.append({"error": "sign-in failed"})
        return
    unit = info["unit"]
    number = 0
    while time.monotonic() < end:
        number += 1
        record = {"n": number}
        exports.append(record)
        await client.call(http, stats, "manager: dashboard", "GET", f"/manage/unit/{unit}/",
                          {200})
        began = time.monotonic()
        record["started_at_s"] = round(began - args.t0, 1)
        ok, code, _ = await client.call(http, stats, "manager: start export (POST)", "POST",
                                        f"/manage/unit/{unit}/export/", {302},
                                        data={"csrfmiddlewaretoken": client.cookies["csrftoken"]})
        job_url = client.last_headers.get("Location", "")
        if not ok or "/jobs/" not in job_url:
            record["error"] = f"export not started ({code})"
            await asyncio.sleep(POLL_S)
            continue
        job_url = job_url[job_url.index("/jobs/"):]
        record["job"] = job_url.strip("/").split("/")[-1]
        await client.call(http, stats, "manager: job page", "GET", job_url, {200})
        status = None
        while time.monotonic() - began < args.export_timeout:
            await asyncio.sleep(POLL_S)
            ok, _, body = await client.call(http, stats, "manager: job status (poll)", "GET",
                                            f"{job_url}status/", {200})
            if ok:
                status = json.loads(body)
                if status.get("finished"):
                    break
        record["status"] = (status or {}).get("status")
        record["job_seconds"] = round(time.monotonic() - began, 2)
        if not status or not status.get("finished"):
            record["error"] = "not finished in time"
            continue
        if status.get("status") != "succeeded":
            record["error"] = f"job {status.get('status')}: {status.get('error')}"
            continue
        ok, code, body = await client.call(http, stats, "manager: download", "GET",
                                           f"{job_url}download/", {200})
        record["total_seconds"] = round(time.monotonic() - began, 2)
        if not ok:
            record["error"] = f"download {code}"
            continue
        path = Path(args.exports_dir) / f"export-{number:03d}.xlsx"
        path.write_bytes(body)
        record["file"], record["bytes"] = str(path), len(body)


def marks_form(rng):
    """A plausible marking of the practical rubric (competitions.demo.PRACTICAL_DEFINITION)."""
    level = f"{rng.randint(32, 80) / 2:g}"   # 16–40 in steps of 0.5
    measures = ["m_hash"] + [m for m in ("m_screen", "m_witness") if rng.random() < 0.6]
    form = {"level_capture": level, "comment_capture": "提取基本完整，方法规范。",
            "deduct_r_typo": str(rng.randint(0, 3)), "comment": "整体规范，个别细节需改进。"}
    if rng.random() < 0.3:
        form["deduct_r_time"] = "1"
    if rng.random() < 0.4:
        form["deduct_r_source"] = str(rng.choice([5, 6, 8, 10]))
    for code in measures:
        form[f"measure_{code}"] = "1"
    return form, level, measures


async def judge(args, plan, username, http, stats, end, sent, timing):
    rng = random.Random(username)
    client = Client({"username": username}, args.base)
    if not await sign_in(client, http, stats, plan["password"], "judge"):
        return
    await client.call(http, stats, "judge: my events", "GET", "/contests/judge/", {200})
    think_low, think_high = 0.5 * args.judge_think, 1.5 * args.judge_think
    for round_ in plan["rounds"]:
        if time.monotonic() >= end:
            break
        event = round_["event"]
        listing = f"/contests/judge/event/{event}/"
        await client.call(http, stats, "judge: event list", "GET", listing, {200})
        codes = list(round_["codes"])
        rng.shuffle(codes)
        for code in codes:
            if time.monotonic() >= end:
                break
            page = f"{listing}{code}/"
            ok, _, _ = await client.call(http, stats, "judge: marking page", "GET", page, {200})
            if not ok:
                continue
            await asyncio.sleep(rng.uniform(think_low, think_high))
            form, level, measures = marks_form(rng)
            token = {"csrfmiddlewaretoken": client.cookies["csrftoken"]}
            ok, _, _ = await client.call(http, stats, "judge: save draft (POST)", "POST", page,
                                         {302}, data={**form, **token, "draft": "1"})
            if ok:
                await client.call(http, stats, "judge: marking page", "GET", page, {200})
            await asyncio.sleep(rng.uniform(think_low, think_high) / 2)
            ok, _, _ = await client.call(http, stats, "judge: submit mark (POST)", "POST", page,
                                         {302}, data={**form, **token, "submit": "1"})
            if ok and client.last_headers.get("Location", "").endswith(listing):
                sent.append({"event": event, "code": code, "judge": username, "level": level,
                             "measures": measures, "at": time.monotonic() - args.t0})
                timing["last"] = time.monotonic()
            elif ok:  # a 302 somewhere else is not the success redirect
                stats.add("judge: submit went elsewhere", 0, False,
                          client.last_headers.get("Location"), time.monotonic())
            await client.call(http, stats, "judge: event list", "GET", listing, {200})


async def main(args):
    plan = json.loads(Path(args.plan).read_text())
    Path(args.exports_dir).mkdir(parents=True, exist_ok=True)
    stats, exports, sent, timing = Stats(), [], [], {}
    args.t0 = time.monotonic()
    end = args.t0 + args.seconds
    cpu0, own0 = cpu_ticks(), os.times()
    async with session_factory() as http:
        work = [manager(args, plan, http, stats, end, exports)]
        work += [judge(args, plan, name, http, stats, end, sent, timing)
                 for name in plan["judges"]]
        unfinished = await bounded(work, args.seconds + args.export_timeout + 60)
    took = time.monotonic() - args.t0
    judging_s = (timing.get("last", args.t0) - args.t0) or 1.0
    result = {"seconds": args.seconds, "took_s": round(took, 1), "unfinished": unfinished,
              "requests": stats.table(seconds=took), "errors": stats.codes,
              "exports": exports, "marks_submitted": len(sent),
              "judging_s": round(judging_s, 1),
              "marks_per_s": round(len(sent) / judging_s, 2),
              "cpu": cpu_report(cpu0, own0)}
    Path(args.out).write_text(json.dumps(result, indent=1))
    Path(args.marks).write_text(json.dumps(sent))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    parser.add_argument("--base", default="http://127.0.0.1:8775")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--judge-think", type=float, default=2.0,
                        help="mean seconds a judge spends before saving a draft")
    parser.add_argument("--export-timeout", type=float, default=600)
    parser.add_argument("--out", required=True)
    parser.add_argument("--marks", required=True)
    parser.add_argument("--exports-dir", required=True)
    args = parser.parse_args()
    args.seconds = min(args.seconds, 900)  # bounded whatever is asked
    asyncio.run(main(args))
