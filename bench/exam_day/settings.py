"""
Settings for the exam-day benchmark: the product's settings, plus only what the bench needs.

- ROOT_URLCONF adds the ceiling view (exam_day/ceiling.py) in front of the product's URLs;
  the product's URLs and middleware are untouched.
- BENCH_FAST_HASHER=1 (the default here) hashes the bench accounts' passwords with MD5:
  the product's PBKDF2 costs ~0.5 s of CPU per sign-in, so N real sign-ins cannot fit in
  60 s on two cores whatever the web tier does (see docs/benchmarks.md).
Everything else (DATABASE_URL, DATABASE_CONN_MAX_AGE, DEBUG, REDIS_URL) comes from the
environment exactly as for the product.
"""
import os

from config.settings import *  # noqa: F401,F403

if os.environ.get("BENCH_FAST_HASHER", "1") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ROOT_URLCONF = "exam_day.urls"
