"""Record who changed what, when, and the values before → after (the audit trail).

Call `record(actor, instance, action, before, after, reason)` where a change happens.
Most changes are recorded without any call: `receivers.py` listens for the apps' own
change rows (exams.ScoreChange, certificates.CertificateChange, competitions.MarkChange)
and for changes to units, officers' units and users' roles. Entries are Wagtail log
entries (security.AuditLogEntry), shown to administrators in the Wagtail admin
(Reports › Site history, and each object's History page) and never editable.

An entry with no actor falls back to the user of the active Wagtail log context: the
Wagtail admin sets one for its views, `ActorMiddleware` for every other request, and
`acting_as(user)` for background jobs.
"""
import datetime
import decimal
from contextlib import contextmanager

from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogContext, get_active_log_context
from wagtail.log_actions import log as wagtail_log
from wagtail.log_actions import registry as log_registry

# Action codes and their labels (registered with Wagtail in wagtail_hooks.py).
ACTIONS = {
    "lianbing.score.change": _("Score changed"),
    "lianbing.mark.change": _("Contest mark changed"),
    "lianbing.certificate.change": _("Certificate changed"),
    "lianbing.unit.create": _("Unit created"),
    "lianbing.unit.change": _("Unit changed"),
    "lianbing.unit.delete": _("Unit deleted"),
    "lianbing.officer.change": _("Officer's unit or status changed"),
    "lianbing.user.roles": _("Roles changed"),
    "lianbing.user.access": _("Administrator access changed"),
    "lianbing.entry.reinstate": _("Contest withdrawal undone"),
    "lianbing.team.replace": _("Team member replaced"),
}


def plain(value):
    """Return `value` as JSON-friendly data (decimals, dates and lazy text as strings)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal | datetime.date | datetime.datetime):
        return str(value)
    return str(value)


def record(actor, instance, action, before, after, reason="", details=None):
    """Add one audit entry about `instance`; return it.

    `actor` is the user who made the change (None: the active log context's user, or the
    system). `before` and `after` are values or dicts of values, stored as JSON; `details`
    is an optional dict of anything else worth keeping (e.g. the app's own action code).
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to security.audit.ACTIONS")
    context = get_active_log_context()
    user = actor if actor is not None else context.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if isinstance(user, LazyObject):
        user = user._wrapped  # request.user: the real user, evaluated just above
    data = {"before": plain(before), "after": plain(after)}
    if reason:
        data["reason"] = str(reason)
    if details:
        data["details"] = plain(details)
    if user is None:
        # wagtail.log() would fall back to the context's user, an AnonymousUser for an
        # anonymous request (e.g. a public registration): log with no user instead.
        model = log_registry.get_log_model_for_instance(instance)
        return model.objects.log_action(
            instance, action, user=None, uuid=context.uuid, data=data, content_changed=True
        )
    return wagtail_log(instance, action, user=user, data=data, content_changed=True)


def changed_fields(before, after):
    """Return (before, after) limited to the keys whose values differ."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@contextmanager
def acting_as(user):
    """Attribute audit entries made inside the block to `user` (e.g. in a background job)."""
    with LogContext(user=user):
        yield


class ActorMiddleware:
    """Make the signed-in user the actor of audit entries recorded during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # request.user stays lazy: it is looked up only if something is recorded.
        with LogContext(user=getattr(request, "user", None)):
            return self.get_response(request)
