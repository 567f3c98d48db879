"""The StreamField blocks study pages share (one body block, reused by lessons and others)."""
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CitationBlock(blocks.StructBlock):
    """A quoted article of a law, linked to its text."""

    article = SnippetChooserBlock("content.Article", label=_("article"))
    note = blocks.TextBlock(label=_("note"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Cited article")
        template = "content/blocks/citation.html"


class StudyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title", icon="title",
                               template="content/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_FEATURES)
    citation = CitationBlock()
    key_point = blocks.TextBlock(label=_("key point"), icon="warning",
                                 template="content/blocks/key_point.html")
    document = DocumentChooserBlock(label=_("document"), template="content/blocks/document.html")

    class Meta:
        label = _("body")


def plain_text(stream_value):
    """Return the text of a StreamField value without markup, for search and word counts."""
    from django.utils.html import strip_tags

    parts = []
    for child in stream_value or []:
        value = child.value
        if child.block_type == "citation":
            article = value.get("article")
            parts.append(article.citation if article else "")
            parts.append(value.get("note") or "")
        elif child.block_type == "paragraph":
            parts.append(strip_tags(value.source))
        elif child.block_type == "document":
            parts.append(value.title if value else "")
        else:
            parts.append(str(value))
    return "\n".join(part for part in parts if part)
