#!/usr/bin/env bash
# Update every translation catalog after changing user-facing strings, then compile them.
#   bash scripts/messages.sh            # makemessages + compilemessages
#   bash scripts/messages.sh compile    # compilemessages only
# Feature apps with their own catalog (<app>/locale/zh_Hans) collect their own strings;
# the platform catalog (site/locale) collects everything else. Needs GNU gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$PWD/.venv/bin/python
APPS=(exams content cases_library certificates competitions)
if [ "${1:-}" != "compile" ]; then
  for app in "${APPS[@]}"; do
    mkdir -p "$app/locale/zh_Hans/LC_MESSAGES"
    (cd "$app" && "$PY" ../manage.py makemessages -l zh_Hans --no-obsolete >/dev/null)
  done
  ignores=(--ignore=.venv --ignore=tests --ignore=var --ignore=bench --ignore=docs
           --ignore=static_collected)
  for app in "${APPS[@]}"; do ignores+=(--ignore="$app"); done
  "$PY" manage.py makemessages -l zh_Hans --no-obsolete "${ignores[@]}" >/dev/null
fi
for dir in site "${APPS[@]}"; do
  (cd "$dir" && "$PY" "$OLDPWD/manage.py" compilemessages -l zh_Hans >/dev/null)
done
