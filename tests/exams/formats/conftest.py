"""Fixtures for the question-file format tests; none of them needs the database."""
from pathlib import Path

import pytest
from django.utils import translation

REPO = Path(__file__).resolve().parents[3]
MOODLE = REPO.parent / "shared" / "peer-fixtures" / "moodle"
DATA = REPO / "tests" / "data" / "questions"


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so tests can read locations such as "line 3"."""
    with translation.override("en"):
        yield


def read(path):
    return Path(path).read_bytes()


def locations(issues):
    return [issue.location for issue in issues]
