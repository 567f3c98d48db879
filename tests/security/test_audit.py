"""The audit trail: scores, marks, certificates, roles and units — who, when, before → after."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from certificates import issuing
from certificates.models import CertificateStatus
from exams.models import ScoreChange
from people.models import Unit
from people.roles import Role
from security import audit
from security.models import AuditEntryChangeRefused, AuditLogEntry
from tests.certificates.factories import make_attempt, make_exam

from .routes import all_routes


def entries(instance, action):
    return list(AuditLogEntry.objects.for_instance(instance).filter(action=action))


def unit_form(unit, **changes):
    data = {"name": unit.name, "short_name": unit.short_name, "code": unit.code,
            "level": unit.level, "is_active": "on" if unit.is_active else "",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": unit.get_parent().pk if unit.get_parent() else ""}
    data.update(changes)
    return data


def test_renaming_a_unit_in_the_console_is_on_record(client_for, people, org):
    admin = people["admin"]
    response = client_for(admin).post(reverse("units:edit", args=[org.east1.pk]),
                                      unit_form(org.east1, name="东区一大队（新）"))
    assert response.status_code == 302, response.context["form"].errors
    [entry] = entries(org.east1, "lianbing.unit.change")
    assert entry.user == admin
    assert entry.data["before"] == {"name": "东区第一大队"}
    assert entry.data["after"] == {"name": "东区一大队（新）"}
    assert entry.timestamp is not None


def test_moving_a_unit_records_the_old_and_new_parent(client_for, people, org):
    response = client_for(people["admin"]).post(
        reverse("units:edit", args=[org.east2.pk]),
        unit_form(org.east2, treebeard_ref_node=org.west.pk))
    assert response.status_code == 302, response.context["form"].errors
    assert Unit.objects.get(pk=org.east2.pk).get_parent() == org.west
    moves = [entry.data for entry in entries(org.east2, "lianbing.unit.change")
             if "parent" in entry.data["after"]]
    assert moves == [{"before": {"parent": "T-E"}, "after": {"parent": "T-W"}}]


def test_creating_a_unit_is_on_record(client_for, people, org):
    response = client_for(people["admin"]).post(reverse("units:add"), {
        "name": "西区第二大队", "short_name": "", "code": "T-W-2", "level": "brigade",
        "is_active": "on", "treebeard_position": "sorted-child",
        "treebeard_ref_node": org.west.pk})
    assert response.status_code == 302, response.context["form"].errors
    unit = Unit.objects.get(code="T-W-2")
    [entry] = entries(unit, "lianbing.unit.create")
    assert entry.user == people["admin"]
    assert entry.data["before"] is None
    assert entry.data["after"]["parent"] == "T-W"


def test_moving_an_officer_to_another_unit_is_on_record(client_for, people, org):
    manager = people["manager"]
    officer = people["officer"].officer
    response = client_for(manager).post(reverse("officers:edit", args=[officer.pk]), {
        "user": officer.user_id, "name": officer.name, "unit": org.east2.pk,
        "badge_number": officer.badge_number, "position": "", "hire_date": "",
        "status": officer.status, "phone": ""})
    assert response.status_code == 302, response.context["form"].errors
    [entry] = entries(officer, "lianbing.officer.change")
    assert entry.user == manager
    assert entry.data == {"before": {"unit": "T-E-1"}, "after": {"unit": "T-E-2"}}


def test_a_roster_import_that_moves_officers_names_the_importer(people, org):
    from people import roster
    from tests.conftest import make_xlsx

    officer = people["officer"].officer
    manager = people["manager"]
    upload = make_xlsx([(officer.name, officer.badge_number, org.east2.label, "", "", "在职", "")])
    parsed = roster.parse_roster(upload, "花名册.xlsx", Unit.objects.all())
    assert parsed.ok, [e.as_dict() for e in parsed.errors]
    with audit.acting_as(manager):
        roster.apply_roster(parsed, roster.plan_roster(parsed))
    [entry] = entries(officer, "lianbing.officer.change")
    assert entry.user == manager
    assert entry.data["before"] == {"unit": "T-E-1"}
    assert entry.data["after"] == {"unit": "T-E-2"}
    assert "花名册.xlsx" in entry.data["reason"]


def test_granting_and_removing_a_role_is_on_record(people):
    admin, user = people["admin"], people["officer"]
    with audit.acting_as(admin):
        user.groups.add(Group.objects.get(name=Role.MANAGER))
        user.groups.remove(Group.objects.get(name=Role.MANAGER))
    granted, removed = sorted(entries(user, "lianbing.user.roles"), key=lambda e: e.pk)[-2:]
    assert granted.user == admin
    assert granted.data == {"before": ["officer"], "after": ["manager", "officer"]}
    assert removed.data == {"before": ["manager", "officer"], "after": ["officer"]}


def test_making_someone_a_superuser_is_on_record(people):
    user = people["trainer"]
    with audit.acting_as(people["admin"]):
        user.is_superuser = True
        user.save()
    [entry] = entries(user, "lianbing.user.access")
    assert entry.data == {"before": {"is_superuser": False}, "after": {"is_superuser": True}}


def test_signing_in_is_not_an_audited_change(client, people):
    from tests.conftest import PASSWORD
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert not entries(people["officer"], "lianbing.user.access")


def test_a_score_change_is_on_record_with_its_reason(people):
    attempt = make_attempt(make_exam(), people["officer"].officer)
    ScoreChange.objects.create(attempt=attempt, changed_by=people["trainer"], old_score=Decimal("60"),
                               new_score=Decimal("72.5"), reason="第3题复核加分")
    [entry] = entries(attempt, "lianbing.score.change")
    assert entry.user == people["trainer"]
    assert entry.data["before"] == {"score": "60"}
    assert entry.data["after"] == {"score": "72.5"}
    assert entry.data["reason"] == "第3题复核加分"


def test_a_certificate_suspension_is_on_record(people):
    officer = people["officer"].officer
    cert = issuing.grant(officer, by=people["organizer"])
    cert = issuing.change_status(cert, CertificateStatus.SUSPENDED, people["admin"], "调查期间暂停")
    suspended = [e for e in entries(cert, "lianbing.certificate.change")
                 if e.data["after"]["status"] == CertificateStatus.SUSPENDED]
    assert len(suspended) == 1
    assert suspended[0].user == people["admin"]
    assert suspended[0].data["before"]["status"] == CertificateStatus.VALID
    assert suspended[0].data["reason"] == "调查期间暂停"


def test_a_contest_mark_change_is_on_record(people, org):
    from competitions.models import MarkChange
    from tests.competitions import factories

    contest = factories.contest(org)
    event = factories.event(contest)
    submission = factories.submission(event, factories.entry(contest, people["officer"].officer))
    mark = factories.mark(submission, people["judge"], factories.level_raw("好"))
    MarkChange.objects.create(mark=mark, action=MarkChange.Action.EDIT,
                              changed_by=people["organizer"], reason="仲裁",
                              before={"points": "80"}, after={"points": "85"})
    [entry] = entries(mark, "lianbing.mark.change")
    assert entry.user == people["organizer"]
    assert entry.data["before"] == {"points": "80"}
    assert entry.data["after"] == {"points": "85"}
    assert entry.data["details"] == {"action": "edit"}


def test_an_anonymous_request_is_recorded_without_a_user(people):
    # e.g. a public contest registration: the request's user is an AnonymousUser.
    from django.contrib.auth.models import AnonymousUser
    with audit.acting_as(AnonymousUser()):
        entry = audit.record(None, people["officer"], "lianbing.officer.change", "a", "b")
    assert entry.user is None
    assert entry.data == {"before": "a", "after": "b"}


def test_record_refuses_an_unknown_action(people):
    with pytest.raises(ValueError):
        audit.record(None, people["officer"], "lianbing.nothing", 1, 2)


# --- Not editable -----------------------------------------------------------------------

@pytest.fixture
def entry(people):
    with audit.acting_as(people["admin"]):
        people["officer"].groups.add(Group.objects.get(name=Role.JUDGE))
    return AuditLogEntry.objects.filter(action="lianbing.user.roles").latest("pk")


def test_entries_cannot_be_changed_or_deleted(entry):
    entry.data = {"before": "forged"}
    with pytest.raises(AuditEntryChangeRefused):
        entry.save()
    with pytest.raises(AuditEntryChangeRefused):
        entry.delete()
    with pytest.raises(AuditEntryChangeRefused):
        AuditLogEntry.objects.filter(pk=entry.pk).update(data={})
    with pytest.raises(AuditEntryChangeRefused):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.data["after"] == ["judge", "officer"]


def test_the_console_has_no_page_to_edit_or_delete_entries():
    audit_routes = [route.name for route in all_routes()
                    if "audit" in route.route.lower() or "logentr" in route.route.lower()]
    assert audit_routes == []
    for name in ("auditlogentry:edit", "security_auditlogentry:edit", "wagtailsnippets_security"
                 "_auditlogentry:edit"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])


# --- Viewable by administrators only -------------------------------------------------------

def test_administrators_see_entries_in_site_history(client_for, people, entry):
    response = client_for(people["admin"]).get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert entry in response.context["object_list"]
    assert "officer → judge、officer" in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "trainer", "organizer"])
def test_other_console_users_do_not_see_entries(client_for, people, entry, role):
    response = client_for(people[role]).get(reverse("wagtailadmin_reports:site_history"))
    if response.status_code == 200:
        assert entry not in response.context["object_list"]
    else:
        assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", ["officer", "judge"])
def test_people_without_console_access_cannot_open_site_history(client_for, people, role):
    response = client_for(people[role]).get(reverse("wagtailadmin_reports:site_history"))
    assert response.status_code in (302, 403)


def test_an_officers_history_page_shows_the_entries_to_an_administrator(client_for, people, org):
    officer = people["officer"].officer
    with audit.acting_as(people["admin"]):
        officer.unit = org.east2
        officer.save()
    response = client_for(people["admin"]).get(reverse("officers:history", args=[officer.pk]))
    assert response.status_code == 200
    assert "T-E-1 → " in response.content.decode().replace("unit: ", "")


def test_a_manager_cannot_open_the_history_of_an_officer_outside_their_units(client_for, people):
    outsider = people["judge"].officer  # west-1, outside the east manager's units
    response = client_for(people["manager"]).get(reverse("officers:history",
                                                         args=[outsider.pk]))
    assert response.status_code in (403, 404)

