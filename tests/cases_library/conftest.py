import pytest

from tests.content import factories


@pytest.fixture
def study(db):
    """A published shelf holding 行政处罚法 (short title 行政处罚法)."""
    shelf = factories.shelf()
    law = factories.law(shelf, "行政处罚法", short_title="行政处罚法")
    return {"shelf": shelf, "law": law}
