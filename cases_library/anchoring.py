"""
Find where an annotation belongs in the current text of a case, and mark it up.

An annotation remembers the paragraph block's id, the quoted passage, up to 32
characters before and after it, and its offsets within the paragraph. Editing another
paragraph changes nothing for it (block ids are stable); editing its own paragraph moves
the passage, and the quote (with its context to choose between repeats) finds it again.
If the passage was deleted or rewritten, the annotation is shown as detached.
"""
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

CONTEXT_CHARS = 32


def context_of(text, start, end):
    """Return the (prefix, suffix) stored with a new annotation of text[start:end]."""
    return text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]


def _common_suffix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(text, quote, prefix="", suffix="", start=0, end=0):
    """Return (start, end) of the passage in `text`, or None if it is no longer there."""
    if not quote:
        return None
    if text[start:end] == quote:
        return start, end
    candidates = []
    position = text.find(quote)
    while position >= 0:
        candidates.append(position)
        position = text.find(quote, position + 1)
    if not candidates:
        return None

    def fit(position):
        before = text[max(0, position - len(prefix)):position]
        after = text[position + len(quote):position + len(quote) + len(suffix)]
        context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        return (-context, abs(position - start))

    best = min(candidates, key=fit)
    return best, best + len(quote)


@dataclass
class Placed:
    annotation: object
    start: int
    end: int


@dataclass
class RenderedBlock:
    id: str
    type: str
    text: str
    notes: list = field(default_factory=list)

    @property
    def html(self):
        """Return the paragraph's text, escaped, with each annotated passage in a <mark>."""
        parts, cursor = [], 0
        for placed in sorted(self.notes, key=lambda p: (p.start, -p.end)):
            if placed.start < cursor:
                continue  # overlapping passages: the note still shows in the margin
            parts.append(escape(self.text[cursor:placed.start]))
            a = placed.annotation
            parts.append(f'<mark class="note-mark {a.kind}" id="mark-{a.pk}" '
                         f'data-note="{a.pk}">{escape(self.text[placed.start:placed.end])}</mark>')
            cursor = placed.end
        parts.append(escape(self.text[cursor:]))
        return mark_safe("".join(parts))


def annotated_blocks(case, annotations):
    """Return ([RenderedBlock] of the case body, [detached annotations])."""
    rendered, by_id = [], {}
    for child in case.body:
        block = RenderedBlock(id=child.id, type=child.block_type, text=str(child.value))
        rendered.append(block)
        by_id[child.id] = block
    orphans = []
    for annotation in annotations:
        block = by_id.get(annotation.block_id)
        span = block and locate(block.text, annotation.quote, annotation.prefix,
                                annotation.suffix, annotation.start, annotation.end)
        if span:
            block.notes.append(Placed(annotation, *span))
        else:
            orphans.append(annotation)
    for block in rendered:
        block.notes.sort(key=lambda placed: placed.start)
    return rendered, orphans
