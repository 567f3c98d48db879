"""A password rule beyond Django's own: characters from several classes."""
import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterClassValidator:
    """Require characters from at least `min_classes` of: lower case, upper case, digits, others.

    Chinese characters count as "others", so 执法2026abc passes with three classes.
    """

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def classes(self, password):
        found = set()
        for char in password:
            if char in string.ascii_lowercase:
                found.add("lower")
            elif char in string.ascii_uppercase:
                found.add("upper")
            elif char.isdigit():
                found.add("digit")
            elif not char.isspace():
                found.add("other")
        return found

    def validate(self, password, user=None):
        if len(self.classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(count)d kind of character: lower-case letters, "
            "capital letters, digits, symbols or Chinese characters.",
            "Your password must mix at least %(count)d kinds of characters: lower-case letters, "
            "capital letters, digits, symbols or Chinese characters.",
            self.min_classes) % {"count": self.min_classes}
