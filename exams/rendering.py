"""Turn a question version's data into what an officer sees: no key, no explanation."""
from .blocks import StemBlock
from .models import QuestionType


def officer_view(data, number=None, option_order=None, answer=None):
    """Return a template context for one question as shown to a candidate (answer-free).

    Options keep their key (what is saved and marked) but are labelled A, B, C … in the
    order this candidate sees them, so a shuffled paper still reads naturally.
    """
    options = data.get("options") or []
    if option_order:
        by_key = {option["key"]: option for option in options}
        options = [by_key[key] for key in option_order if key in by_key]
    blank_count = len(data.get("blanks") or [])
    given = list(answer) if isinstance(answer, list) else []
    return {
        "number": number,
        "qtype": data["qtype"],
        "qtype_label": QuestionType(data["qtype"]).label,
        "stem": StemBlock().to_python(data["stem"]),
        "points": data["points"],
        # Only the key letter and the text leave the server: never `correct` or `fraction`.
        "options": [{"key": option["key"], "label": chr(ord("A") + index), "text": option["text"]}
                    for index, option in enumerate(options)],
        "answer": answer,
        "blank_values": (given + [""] * blank_count)[:blank_count],
        "multiple": data["qtype"] == QuestionType.MULTIPLE,
    }
