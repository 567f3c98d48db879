"""Template helpers for text every app's pages use."""
from django import template

register = template.Library()


@register.filter
def label(text):
    """A translated label ending in a colon, followed by the space English needs after
    "Total:" and none after a full-width colon ("合计："). Use as
    ``{% translate "Total:" as total %}{{ total|label }}`` (so makemessages still finds
    the text)."""
    text = str(text)
    return text if text.endswith(("：", "；")) else text + " "
