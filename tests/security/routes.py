"""Every URL pattern of the project, read from the resolver (not from a hand-kept list)."""
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str          # "namespace:name", or the bare route when the pattern has no name
    route: str         # the full route text, e.g. "exams/<int:pk>/"
    callback: object


def all_routes(resolver=None, prefix="", namespace=""):
    """Yield a Route for every URL pattern, descending into included URLconfs."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from all_routes(pattern, text, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            full = (f"{namespace}:{name}" if namespace else name) if name else text
            yield Route(full, text, pattern.callback)
