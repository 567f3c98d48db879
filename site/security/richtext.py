"""Rich text from files (question imports) cleaned to a short list of harmless tags."""
from bs4 import BeautifulSoup

# Elements removed with everything inside them.
DROPPED = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
           "math", "template", "noscript", "form", "input", "button", "textarea", "select",
           "option", "link", "meta", "base", "title", "head", "audio", "video", "canvas"}
# Elements kept (without attributes, except those listed); any other is replaced by its content.
ALLOWED = {"p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
           "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "thead", "tbody", "tfoot", "tr",
           "th", "td", "caption", "a", "span", "div", "hr"}
ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def safe_href(href):
    href = href.strip().lower()
    if href.startswith("/"):
        return not href.startswith(("//", "/\\"))  # "//host" leaves the site
    return href.startswith(SAFE_SCHEMES)


def clean_html(html):
    """Return `html` without scripts, event handlers, styles, frames or unknown tags.

    Only the tags in ALLOWED survive, with no attributes except a link's http(s)/mailto
    address and a table cell's span; the text of any other tag is kept.
    """
    if not html:
        return ""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        if element.decomposed:
            continue
        name = element.name.lower()
        if name in DROPPED:
            element.decompose()
        elif name not in ALLOWED:
            element.unwrap()
        else:
            keep = ATTRIBUTES.get(name, set())
            element.attrs = {key: value for key, value in element.attrs.items()
                             if key.lower() in keep}
            href = element.attrs.get("href")
            if href is not None and not safe_href(href):
                del element.attrs["href"]
    for comment in soup.find_all(string=lambda text: type(text).__name__ in (
            "Comment", "CData", "ProcessingInstruction", "Declaration", "Doctype")):
        comment.extract()
    return str(soup)
