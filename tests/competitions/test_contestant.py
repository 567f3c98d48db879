"""The contestant's pages: work and findings until the event closes; only their own."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from competitions.models import ContestStatus, EventKind

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(org, people):
    contest = f.contest(org, status=ContestStatus.RUNNING)
    drafting = f.event(contest, EventKind.DRAFTING, name="文书",
                       closes_at=timezone.now() + dt.timedelta(hours=2))
    correction = f.event(contest, EventKind.CORRECTION, name="纠错",
                         locations=["封面", "询问笔录第2页"])
    f.key_error(correction, "A", "询问笔录第2页", "facts", "10", "时间矛盾（答案）")
    entry = f.entry(contest, people["officer"].officer)
    return (f.submission(drafting, entry, submitted_at=None),
            f.submission(correction, entry, submitted_at=None))


def test_a_contestant_uploads_work_stored_under_a_neutral_name(running, people, client_for):
    draft, _correction = running
    client = client_for(people["officer"])
    url = reverse("competitions:my_submission", args=[draft.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"text": "行政处罚决定书……",
                      "file": SimpleUploadedFile("王小兵的文书.docx", b"PK docx")})
    draft.refresh_from_db()
    assert draft.text == "行政处罚决定书……" and draft.submitted_at is not None
    assert draft.file.name.endswith(".docx") and "王小兵" not in draft.file.name


def test_work_cannot_change_after_the_event_closes(running, people, client_for):
    draft, _correction = running
    draft.event.closes_at = timezone.now() - dt.timedelta(minutes=1)
    draft.event.save()
    client = client_for(people["officer"])
    client.post(reverse("competitions:my_submission", args=[draft.pk]), {"text": "迟交"})
    draft.refresh_from_db()
    assert draft.text == "" and draft.submitted_at is None


def test_findings_are_added_from_the_event_locations_and_never_show_the_key(running, people,
                                                                           client_for):
    _draft, correction = running
    client = client_for(people["officer"])
    url = reverse("competitions:my_submission", args=[correction.pk])
    html = client.get(url).content.decode()
    assert "时间矛盾（答案）" not in html and "封面" in html
    client.post(url, {"location": "别处", "category": "facts", "explanation": "x"})
    client.post(url, {"location": "询问笔录第2页", "category": "facts", "explanation": "时间不对"})
    client.post(url, {"location": "封面", "category": "documents", "explanation": "缺案由"})
    client.post(url, {"delete": "1"})
    correction.refresh_from_db()
    assert correction.findings == [{"location": "询问笔录第2页", "category": "facts",
                                    "explanation": "时间不对"}]


def test_only_the_contestant_opens_their_work(running, people, client_for):
    draft, _correction = running
    for who in ("manager", "judge", "organizer"):
        assert client_for(people[who]).get(
            reverse("competitions:my_submission", args=[draft.pk])).status_code == 404


def test_the_organizer_exports_entries_with_blind_codes(running, people, client_for):
    draft, _correction = running
    url = reverse("competitions:entries_export", args=[draft.event.contest_id])
    assert client_for(people["manager"]).get(url).status_code == 404
    response = client_for(people["organizer"]).get(url)
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == draft.entry.blind_code and rows[1][1] == "王小兵"
