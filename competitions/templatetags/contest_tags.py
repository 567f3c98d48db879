"""Template helpers for contest pages: scoring-state labels, dictionary look-ups, labels."""
from django import template
from django.utils.translation import gettext_lazy as _

from home.templatetags.text_tags import label

from .. import aggregation as agg
from .. import scoring

register = template.Library()

STATE_LABELS = {
    agg.COMPLETE: _("Complete"),
    agg.PENDING: _("Not marked yet"),
    agg.NEEDS_THIRD: _("Needs a third marker"),
    agg.NEEDS_ARBITRATION: _("Needs arbitration"),
    agg.ARBITRATED: _("Arbitrated"),
    scoring.NOT_ATTEMPTED: _("Not attempted"),
    scoring.MISSING_MARKS: _("Marks missing"),
    scoring.INVALID: _("Marks do not fit"),
}


@register.filter
def state_label(state):
    return STATE_LABELS.get(state, state)


@register.filter
def get_item(mapping, key):
    if not mapping:
        return ""
    return mapping.get(key, "")


# The shared label filter (home/templatetags/text_tags.py), also under this library's name.
register.filter("label", label)
