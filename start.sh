#!/usr/bin/env bash
# Set up and run Lianbing with demo data: virtual environment, dependencies, database
# migrations, demo data, then the web server and a background worker. With no
# DATABASE_URL / REDIS_URL it uses a SQLite file and an embedded Redis under var/.
# Ctrl-C stops both. PORT (default 8000) and HOST (default 127.0.0.1) may be set.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
export DEBUG=${DEBUG:-true}
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}
PY=.venv/bin/python

echo "==> Preparing the database"
$PY manage.py migrate --no-input -v0
$PY manage.py createcachetable
echo "==> Loading demo data (idempotent)"
$PY manage.py seed_demo

echo "==> Starting the background worker and the scheduler"
$PY manage.py worker > var/worker.log 2>&1 &
worker=$!
$PY manage.py scheduler > var/cron.log 2>&1 &
cron=$!
trap 'kill $worker $cron 2>/dev/null; wait $worker $cron 2>/dev/null' EXIT INT TERM

cat <<MSG

  练兵 Lianbing is running at  http://$HOST:$PORT/
  Management console (Wagtail): http://$HOST:$PORT/cms/
  Worker log: var/worker.log      Stop with Ctrl-C.

MSG
$PY manage.py runserver "$HOST:$PORT" --noreload
