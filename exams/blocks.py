"""The blocks a question stem is made of: rich text, tables and images."""
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

from .normalize import plain_text

STEM_FEATURES = ["bold", "italic", "ol", "ul", "link", "superscript", "subscript"]


class StemBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=STEM_FEATURES, label=_("Text"))
    table = TableBlock(label=_("Table"))
    image = ImageChooserBlock(label=_("Image"))

    class Meta:
        min_num = 1


def stem_from_html(html):
    """Return a stem stream (raw form) holding one rich-text block of `html`."""
    return [{"type": "text", "value": html}]


def stem_to_text(stem):
    """Return the stem's text (tables cell by cell, images omitted) for search and hashing."""
    parts = []
    for block in stem:
        if block.block_type == "text":
            parts.append(plain_text(block.value.source))
        elif block.block_type == "table":
            for row in (block.value or {}).get("data") or []:
                parts.append(" ".join(str(cell) for cell in row if cell))
    return "\n".join(part for part in parts if part)
