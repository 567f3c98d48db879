import pytest


@pytest.fixture(autouse=True)
def _page_tree(db):
    """Make sure Wagtail's page tree and default site exist: a transactional test earlier in
    the run may have flushed the rows the migrations made."""
    from tests.content.factories import home
    home()
