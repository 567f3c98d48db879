"""The audit trail in the Wagtail admin: its actions, and the models whose history it keeps."""
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from ops.i18n_text import join_list

from .audit import ACTIONS
from .models import AuditLogEntry

# Models whose log entries (ours, and Wagtail's own create/edit/delete) go to the audit
# table, where only administrators can read them.
AUDITED_MODELS = ("people.Unit", "people.Officer", "exams.Attempt", "certificates.Certificate",
                  "competitions.Mark", "competitions.Entry")


def describe(value):
    """Return a short human-readable form of a before/after value."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {describe(item)}" for key, item in value.items()) or "—"
    if isinstance(value, list):
        return join_list(describe(item) for item in value) or "—"
    return str(value)


class ChangeFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        return _("%(action)s: %(before)s → %(after)s") % {
            "action": self.label, "before": describe(data.get("before")),
            "after": describe(data.get("after"))}

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("reason", "")


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    actions.register_model(get_user_model(), AuditLogEntry)
    for label in AUDITED_MODELS:
        try:
            actions.register_model(apps.get_model(label), AuditLogEntry)
        except LookupError:
            continue
    for code, label in ACTIONS.items():
        actions.register_action(code)(type(f"Formatter_{code}", (ChangeFormatter,),
                                           {"label": label}))
