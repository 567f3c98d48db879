"""Run `manage.py worker` (RQ's forking worker, with its scheduler) with the test job kinds.

Started as a subprocess by test_worker_killed.py: python tests/reliability/worker_process.py
[queues...]. The environment gives it the test database and the test's private Redis.
"""
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from tests.reliability import kinds  # noqa: E402,F401 - registers the test job kinds

call_command("worker", *sys.argv[1:])
