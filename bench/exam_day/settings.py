"""
Settings for the exam-day benchmark: the product's settings, plus only what the bench needs.

- ROOT_URLCONF adds the ceiling view (exam_day/ceiling.py) in front of the product's URLs;
  the product's URLs and middleware are untouched.
- Sign-in uses the product's password hasher (Argon2id at OWASP's minimum, ~0.04 CPU-s
  per sign-in; site/config/hashers.py), so the sign-in phase measures what officers cost.
  BENCH_FAST_HASHER=1 switches to MD5 to see the rest of the path without it.
Everything else (DATABASE_URL, DATABASE_CONN_MAX_AGE, DEBUG, REDIS_URL) comes from the
environment exactly as for the product.
"""
import os

from config.settings import *  # noqa: F401,F403

if os.environ.get("BENCH_FAST_HASHER", "0") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ROOT_URLCONF = "exam_day.urls"
