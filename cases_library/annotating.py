"""Create annotations from a passage a trainer selected in the browser."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .anchoring import context_of
from .models import Annotation, AnnotationKind

MAX_QUOTE = 2000


def annotate(case, author, block_id, start, end, kind, comment):
    """Save an annotation of case paragraph `block_id`[start:end]; raise ValidationError."""
    texts = {child.id: str(child.value) for child in case.body
             if child.block_type == "paragraph"}
    text = texts.get(block_id)
    if text is None:
        raise ValidationError(_("Select a passage inside one paragraph of the case."))
    if not (0 <= start < end <= len(text)) or end - start > MAX_QUOTE:
        raise ValidationError(_("The selected passage is not in the paragraph."))
    if kind not in AnnotationKind.values:
        raise ValidationError(_("Choose the kind of note."))
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Write the note."))
    prefix, suffix = context_of(text, start, end)
    return Annotation.objects.create(
        case=case, author=author, block_id=block_id, quote=text[start:end], prefix=prefix,
        suffix=suffix, start=start, end=end, kind=kind, comment=comment[:2000])
