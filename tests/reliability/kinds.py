"""Job kinds for the reliability tests (imported by the tests and by the worker subprocess)."""
import os
import time
from pathlib import Path

from jobs.registry import job_kind


@job_kind("tests.reliability.echo", label="Echo")
def echo(progress, value):
    return {"value": value}


@job_kind("tests.reliability.block", label="Block until released")
def block(progress, flag_dir):
    """Write `started-<pid>`, then wait until the file `release` appears (at most 120 s)."""
    flags = Path(flag_dir)
    (flags / f"started-{os.getpid()}").write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not (flags / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    count = flags / "finished"
    done = int(count.read_text()) + 1 if count.exists() else 1
    count.write_text(str(done))
    return {"runs": done}
