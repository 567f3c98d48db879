"""django-rq's queue dashboard at /ops/rq/: administrators only."""
import pytest
from django.urls import reverse

from jobs import runner

pytestmark = pytest.mark.django_db

PAGES = [("django_rq:home", []), ("django_rq:home_json", []), ("django_rq:jobs", [0]),
         ("django_rq:failed_jobs", [0]), ("django_rq:started_jobs", [0]),
         ("django_rq:workers", [0])]


def test_administrators_see_the_queues(people, client_for, redis_conn):
    client = client_for(people["admin"])
    for name, args in PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("django_rq:home")).content.decode()
    for queue in ("default", "reports", "marking"):
        assert queue in page
    # The admin templates' home link leads to the dashboard, not to a Django admin site.
    assert client.get(reverse("admin:index")).url == reverse("django_rq:home")


def test_a_queued_job_shows_on_the_queue_page(people, client_for, redis_conn,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.start_job("exams.draw_papers", owner=people["admin"], params={"exam_id": 0})
    queue_index = sorted(["default", "reports", "marking"]).index("marking")
    page = client_for(people["admin"]).get(reverse("django_rq:jobs", args=[queue_index]))
    assert f"lianbing-{job.pk}-0" in page.content.decode()


@pytest.mark.parametrize("role", ["officer", "trainer", "organizer", "judge", "manager"])
def test_everyone_else_is_refused(people, client_for, role, redis_conn):
    client = client_for(people[role])
    for name, args in PAGES:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.get(reverse("admin:index")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name, args in PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_actions_are_refused_to_others_too(people, client_for, redis_conn):
    response = client_for(people["manager"]).post(reverse("django_rq:clear", args=[0]))
    assert response.status_code == 403
