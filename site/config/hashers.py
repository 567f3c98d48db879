"""
The password hasher: Argon2id with OWASP's minimum parameters, instead of Django's defaults.

Why not Django's defaults. PBKDF2-SHA256 at Django 5.2's 1,000,000 iterations costs about
0.55 CPU-seconds per sign-in on this project's 2-core reference machine, so two cores can
check fewer than four passwords a second: a thousand officers signing in for the monthly
exam would wait minutes (docs/benchmarks.md, "Exam day"). Django's own Argon2 hasher uses
m = 100 MiB and p = 8 lanes (about 0.25 CPU-s and 100 MiB of memory per sign-in).

This one uses the parameters the OWASP Password Storage Cheat Sheet gives as the minimum
for Argon2id: m = 19 MiB (19456 KiB), t = 2 iterations, p = 1 — about 0.03–0.04 CPU-s
per sign-in on the reference machine, and memory-hard, which PBKDF2 is not. Raise them
(memory first) on a machine with more cores: Django re-hashes a password with the new
parameters at its owner's next sign-in (`must_update`). Stored PBKDF2 hashes keep
working and are re-hashed the same way, because PBKDF2 stays in PASSWORD_HASHERS.

Needs the argon2-cffi package.
"""
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's minimum)."""

    # Same algorithm name as Django's hasher: hashes look alike ("argon2$argon2id$v=19$
    # m=19456,t=2,p=1$…") and carry their own parameters, so either class verifies them.
    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
