"""
Time importing and exporting 20,000 questions (Excel and Moodle XML), next to openpyxl
reading and writing the same cells on its own — the ceiling for the Excel format.

    .venv/bin/python bench/question_formats.py [--questions N]

Prints a Markdown table: seconds, and the peak resident memory of the process that ran
the step (resource.getrusage; tracemalloc would slow openpyxl several times over),
next to its resident memory before the clock started (Django plus the step's input). Each step runs in a fresh child process so one step's memory does
not hide another's; the input it needs is prepared before the clock starts.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import time
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django():
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def questions(count):
    """Return `count` questions cycling through every type the formats share."""
    from exams.formats.xlsx import example_questions

    examples = [q for q in example_questions() if q.qtype != "case_analysis"]
    return [examples[index % len(examples)] for index in range(count)]


def cell_rows(count):
    """Return the bare cell values write() would produce, for the raw openpyxl runs."""
    from exams.formats.xlsx import _row_values, columns

    keys = [column[0] for column in columns()]
    return [[_row_values(q).get(key) for key in keys] for q in questions(count)]


def step(name, count, workdir):
    """Run one measured step; return (seconds, peak RSS bytes, RSS bytes at the start)."""
    setup_django()
    import openpyxl

    from exams.formats import parse, write
    from exams.formats.xlsx import columns

    xlsx_file, xml_file = Path(workdir) / "bank.xlsx", Path(workdir) / "bank.xml"
    prepared = {
        "raw openpyxl write": lambda: cell_rows(count),
        "xlsx export": lambda: questions(count),
        "Moodle XML export": lambda: questions(count),
        "raw openpyxl read": lambda: xlsx_file.read_bytes(),
        "xlsx import": lambda: xlsx_file.read_bytes(),
        "Moodle XML import": lambda: xml_file.read_bytes(),
    }[name]()

    def raw_write(rows):
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("题库")
        sheet.append([column[1] for column in columns()])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def raw_read(data):
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return rows

    def check_import(result):
        assert result.ok and len(result.questions) == count, result.errors[:3]

    action = {
        "raw openpyxl write": lambda: raw_write(prepared),
        "xlsx export": lambda: xlsx_file.write_bytes(write(prepared, "xlsx")),
        "Moodle XML export": lambda: xml_file.write_bytes(write(prepared, "moodlexml")),
        "raw openpyxl read": lambda: raw_read(prepared),
        "xlsx import": lambda: check_import(parse(prepared, "bank.xlsx", "xlsx")),
        "Moodle XML import": lambda: check_import(parse(prepared, "bank.xml", "moodlexml")),
    }[name]
    before = _resident_bytes()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return seconds, peak, before


def _resident_bytes():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


STEPS = ["raw openpyxl write", "xlsx export", "raw openpyxl read", "xlsx import",
         "Moodle XML export", "Moodle XML import"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.questions, args.workdir)))
        return
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    results = {}
    for name in STEPS:
        output = subprocess.run(
            [sys.executable, __file__, "--step", name, "--questions", str(args.questions),
             "--workdir", args.workdir], check=True, capture_output=True, text=True).stdout
        results[name] = json.loads(output.strip().splitlines()[-1])
    print(f"| step ({args.questions:,} questions) | seconds | × raw openpyxl "
          f"| RSS before (MB) | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|")
    ceilings = {"xlsx export": "raw openpyxl write", "xlsx import": "raw openpyxl read"}
    for name in STEPS:
        seconds, peak, before = results[name]
        ratio = ""
        if name in ceilings:
            ratio = f"{seconds / results[ceilings[name]][0]:.2f}"
        print(f"| {name} | {seconds:.2f} | {ratio} | {before / 2**20:.0f} "
              f"| {peak / 2**20:.0f} |")


if __name__ == "__main__":
    main()
