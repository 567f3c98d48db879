"""
The kinds of background job: each app registers its job functions in `<app>/jobs.py`.

A job function takes a `Progress` (the job record's reporter) and the job's keyword
parameters; it returns a JSON-able result dict. It must be idempotent: a retried job
runs it again from the start.
"""
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class JobKind:
    name: str
    func: object
    label: str
    queue: str = "default"
    # A template that shows the job's result on its page (given `job` and `result`).
    result_template: str = ""


_KINDS = {}
_loaded = False


def job_kind(name, *, label, queue="default", result_template=""):
    """Register the decorated function as the job kind `name`."""

    def register(func):
        _KINDS[name] = JobKind(name, func, label, queue, result_template)
        return func

    return register


def _load_all():
    global _loaded
    if not _loaded:
        for config in apps.get_app_configs():
            try:
                import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
        _loaded = True


def get_kind(name):
    _load_all()
    return _KINDS[name]


def job_label(name):
    _load_all()
    kind = _KINDS.get(name)
    return kind.label if kind else _("Unknown job")
