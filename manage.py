#!/usr/bin/env python
"""Run Django's command-line utility for Lianbing."""
import os
import sys
from pathlib import Path

# site/ holds the platform's packages (config, people, home, jobs); it is a folder on
# the import path, not a package, because the standard library owns the name `site`.
BASE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BASE_DIR / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
