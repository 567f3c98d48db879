"""The case index makes the same number of queries for 3 cases as for 30."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.content import factories

BOUND = 22


def count_queries(client, url):
    """Return the queries a request makes (after one request to warm per-session caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_cases(start, count):
    for number in range(start, start + count):
        case = factories.case(title=f"案例{number}")
        case.tags.add(f"标签{number}", "网吧")


@pytest.mark.timeout(900)
def test_the_case_index_queries_stay_flat_as_cases_grow(study, people, client_for,
                                                       django_assert_max_num_queries):
    client = client_for(people["officer"])
    add_cases(0, 3)
    few = count_queries(client, "/cases/")
    filtered_few = count_queries(client, "/cases/?tag=网吧&q=网吧")
    add_cases(3, 27)
    with django_assert_max_num_queries(BOUND):
        response = client.get("/cases/")
    assert len(response.context["page"]) == 20
    many = count_queries(client, "/cases/")
    assert many == few, f"{few} queries for 3 cases, {many} for 30"
    assert count_queries(client, "/cases/?tag=网吧&q=网吧") == filtered_few
