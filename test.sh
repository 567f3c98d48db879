#!/usr/bin/env bash
# Run the whole test suite against PostgreSQL and a Redis server (real ones, not mocks).
# Defaults: PostgreSQL on 127.0.0.1:5432 as user postgres, Redis on 127.0.0.1:6379 db 9.
# Extra arguments go to pytest, e.g.  bash test.sh tests/people -k roster
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lianbing}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/9}
exec .venv/bin/python -m pytest "$@"
