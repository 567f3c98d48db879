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

    def segments(self):
        """Split the text at every passage boundary; return [(text, [Placed covering it])].

        Overlapping and nested passages all stay highlighted: each piece of text knows every
        note that covers it, in the order the notes start.
        """
        cuts = sorted({0, len(self.text)} | {p.start for p in self.notes}
                      | {p.end for p in self.notes})
        ordered = sorted(self.notes, key=lambda p: (p.start, -p.end, p.annotation.pk or 0))
        pieces = []
        for start, end in zip(cuts, cuts[1:]):
            if start == end:
                continue
            covering = [p for p in ordered if p.start <= start and end <= p.end]
            pieces.append((start, self.text[start:end], covering))
        return pieces

    @property
    def html(self):
        """Return the paragraph's text, escaped, with each annotated passage in <mark>s.

        A piece covered by one note is `<mark class="note-mark KIND">`; a piece covered by
        several gets every kind and the class `overlap`. The first piece of each passage
        carries its anchor id (mark-PK), so links to a note still land on its passage.
        """
        parts = []
        for start, text, covering in self.segments():
            if not covering:
                parts.append(escape(text))
                continue
            starting = [p.annotation.pk for p in covering if p.start == start]
            kinds = list(dict.fromkeys(p.annotation.kind for p in covering))
            classes = " ".join(["note-mark", *kinds] + (["overlap"] if len(covering) > 1 else []))
            pks = " ".join(str(p.annotation.pk) for p in covering)
            for extra in starting[1:]:
                parts.append(f'<span class="note-anchor" id="mark-{extra}"></span>')
            anchor = f' id="mark-{starting[0]}"' if starting else ""
            parts.append(f'<mark class="{classes}"{anchor} data-note="{covering[-1].annotation.pk}" '
                         f'data-notes="{pks}">{escape(text)}</mark>')
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
