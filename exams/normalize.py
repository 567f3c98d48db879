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


def normalize_answer(text):
    """Return text folded for comparison: full-width → half-width, no spaces/punctuation, lower."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch not in PUNCTUATION and not ch.isspace())


def fingerprint(stem, options=()):
    """Return a hash of a question's normalised stem and options (in any order)."""
    parts = [normalize_answer(plain_text(stem))]
    parts += sorted(normalize_answer(plain_text(option)) for option in options)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
