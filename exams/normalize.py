"""Text normalisation for comparing questions and answers typed in Chinese."""
import hashlib
import html
import re
import unicodedata

TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")
# Punctuation that does not change an answer's meaning (both widths).
PUNCTUATION = "，。、；：？！「」『』（）【】《》〈〉“”‘’·…—,.;:?!()[]<>\"'`~-_ "


def plain_text(markup):
    """Return rich text as plain text: tags removed, entities decoded, spaces collapsed."""
    text = html.unescape(TAG_RE.sub(" ", markup or ""))
    return SPACE_RE.sub(" ", text).strip()


# Kept where they belong to a number: "." between digits (1.5 is not 15), "-" before a
# digit (-5 is not 5).
NUMBER_MARK_RE = re.compile(r"(?<=\d)\.(?=\d)|-(?=\d)")
KEPT = {".": "\ue000", "-": "\ue001"}  # private-use stand-ins while punctuation goes


def _fold(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def _strip(text):
    return "".join(ch for ch in text if ch not in PUNCTUATION and not ch.isspace())


def normalize_answer(text):
    """Return text folded for comparison: full-width → half-width, no spaces/punctuation, lower.

    A "." between digits and a "-" before a digit are kept: they change a number.
    """
    text = _fold(text).replace("\u2212", "-")  # the minus sign (NFKC keeps it) is a "-"
    text = NUMBER_MARK_RE.sub(lambda match: KEPT[match.group()], text)
    return _strip(text).replace(KEPT["."], ".").replace(KEPT["-"], "-")


def fingerprint(stem, options=()):
    """Return a hash of a question's normalised stem and options (in any order)."""
    # The bank's stored fingerprints were made with every "." and "-" dropped: keep doing so
    # here (unlike answers), or a re-imported question would no longer be seen as a duplicate.
    parts = [_strip(_fold(plain_text(stem)))]
    parts += sorted(_strip(_fold(plain_text(option))) for option in options)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
