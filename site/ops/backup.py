"""
Backing up and restoring the platform: the database and the uploaded files (MEDIA_ROOT).

A backup is one directory holding
  database.dump     PostgreSQL: pg_dump's custom format (restored with pg_restore)
  database.sqlite3  SQLite: a consistent copy made with SQLite's online backup API
  media.tar.gz      every file under MEDIA_ROOT (uploads, job results, certificates)
  manifest.json     when it was made, the database vendor, and the row count of every
                    table, which `restore` checks after restoring.
Redis is not backed up: it holds only queued work, and job records live in the database.
"""
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

MANIFEST = "manifest.json"
DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def row_counts():
    """Return {"app_label.Model": rows} for every concrete model of the project."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        counts[meta.label] = model._base_manager.using("default").count()
    return counts


def _pg_env():
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db.get("USER") or "",
           "PGHOST": db.get("HOST") or "", "PGPORT": str(db.get("PORT") or "")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return {key: value for key, value in env.items() if value != ""}


def _run(command, env=None):
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} was not found; install the PostgreSQL client "
                          "tools (the same major version as the server).") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
    return done


def backup(out_dir):
    """Write a backup of the database and MEDIA_ROOT into `out_dir` (new or empty)."""
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty; give a new directory.")
    out.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    counts = row_counts()
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(out / DUMP)], env=_pg_env())
        database_file = DUMP
    elif vendor == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(out / SQLITE_COPY)
        with target:
            source.backup(target)
        source.close()
        target.close()
        database_file = SQLITE_COPY
    else:
        raise BackupError(f"Backing up a {vendor} database is not supported.")
    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    with tarfile.open(out / MEDIA, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    media_files += 1
    manifest = {
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "vendor": vendor, "database_file": database_file, "media_file": MEDIA,
        "media_files": media_files, "row_counts": counts,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def read_manifest(in_dir):
    path = Path(in_dir) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: this is not a backup directory.")
    return json.loads(path.read_text())


def database_is_empty():
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(in_dir, force=False):
    """Restore a backup made by `backup` into this installation's database and MEDIA_ROOT.

    Refuse a database that already has tables, or a non-empty MEDIA_ROOT, unless `force`.
    Return the row counts that differ from the manifest (empty when the restore is exact).
    """
    source = Path(in_dir)
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"This backup is of a {manifest['vendor']} database; "
                          f"this installation uses {vendor}.")
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if not database_is_empty():
            raise BackupError("The database is not empty. Restore into a new, empty database "
                              "(or use --force to replace its contents).")
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty. Restore into an empty "
                              "directory (or use --force to write over it).")
    connections.close_all()
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                   "--single-transaction", "--dbname", settings.DATABASES["default"]["NAME"]]
        if force:
            command += ["--clean", "--if-exists"]
        _run(command + [str(source / manifest["database_file"])], env=_pg_env())
    else:
        target = Path(settings.DATABASES["default"]["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / manifest["database_file"], target)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / manifest["media_file"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, links or ../
    counts = row_counts()
    return {label: (rows, counts.get(label)) for label, rows in manifest["row_counts"].items()
            if counts.get(label) != rows}
