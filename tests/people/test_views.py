"""The officer list and roster pages: who may use them and what they show."""
import io

import openpyxl
import pytest
from django.urls import reverse

from people.models import Officer


@pytest.mark.parametrize("name", ["officer", "trainer", "organizer", "judge"])
@pytest.mark.parametrize("url", ["people:officer_list", "people:roster_template",
                                 "people:roster_import"])
def test_people_pages_are_forbidden_without_the_manager_role(client_for, people, name, url):
    assert client_for(people[name]).get(reverse(url)).status_code == 403


def test_people_pages_ask_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("people:officer_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_manager_lists_only_their_subtree(client_for, people):
    page = client_for(people["manager"]).get(reverse("people:officer_list"))
    names = {o.user.username for o in page.context["page"]}
    assert names == {"officer", "manager"}


def test_the_officer_list_filters_by_name_unit_and_status(client_for, people, org):
    client = client_for(people["admin"])
    page = client.get(reverse("people:officer_list"), {"q": "王小"})
    assert [o.name for o in page.context["page"]] == ["王小兵"]
    page = client.get(reverse("people:officer_list"), {"unit": org.west.pk})
    assert {o.user.username for o in page.context["page"]} == {"judge", "other_manager"}
    Officer.objects.filter(user__username="judge").update(status="left")
    page = client.get(reverse("people:officer_list"), {"unit": org.west.pk, "status": "left"})
    assert [o.user.username for o in page.context["page"]] == ["judge"]


def test_a_unit_outside_the_scope_cannot_be_chosen_as_filter(client_for, people, org):
    page = client_for(people["manager"]).get(reverse("people:officer_list"), {"unit": org.west.pk})
    assert not page.context["form"].is_valid()


def test_the_officer_list_query_count_does_not_grow_with_officers(
        client_for, people, org, django_assert_max_num_queries):
    client = client_for(people["manager"])
    for i in range(60):
        org.person(f"extra{i}", org.east1)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:officer_list"))
    assert response.status_code == 200 and len(response.context["page"]) == 50


def test_the_template_lists_only_units_in_scope(client_for, people):
    response = client_for(people["manager"]).get(reverse("people:roster_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    labels = [r[0] for r in wb["单位列表"].iter_rows(min_row=2, values_only=True)]
    assert labels == ["东区支队（T-E）", "东区第一大队（T-E-1）", "东区第二大队（T-E-2）"]


def test_wagtail_officer_admin_is_limited_to_the_scope(client_for, people):
    client = client_for(people["manager"])
    response = client.get("/cms/officers/")
    assert response.status_code == 200
    listed = {o.user.username for o in response.context["object_list"]}
    assert listed == {"officer", "manager"}
    judge = people["judge"].officer
    assert client.get(f"/cms/officers/edit/{judge.pk}/").status_code == 404
    mine = people["officer"].officer
    assert client.get(f"/cms/officers/edit/{mine.pk}/").status_code == 200


def officer_form(officer, **changes):
    data = {"name": officer.name, "unit": officer.unit_id, "badge_number": officer.badge_number,
            "position": officer.position, "hire_date": "", "status": officer.status,
            "phone": officer.phone, **changes}
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_cannot_widen_their_scope_through_the_officer_admin(client_for, people, org):
    client = client_for(people["manager"])
    me = people["manager"].officer
    own_unit = me.unit_id
    for unit in (org.corps.pk, org.east1.pk):  # above their scope, or inside it
        client.post(f"/cms/officers/edit/{me.pk}/", officer_form(me, unit=unit, status="left"))
        me.refresh_from_db()
        assert me.unit_id == own_unit and me.status == "active"  # not theirs to change

    officer = people["officer"].officer
    response = client.post(f"/cms/officers/edit/{officer.pk}/",
                           officer_form(officer, unit=org.west.pk))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    officer.refresh_from_db()
    assert officer.unit_id != org.west.pk
    form = client.get(f"/cms/officers/edit/{officer.pk}/").context["form"]
    assert "user" not in form.fields
    assert set(form.fields["unit"].queryset.values_list("code", flat=True)) == {
        "T-E", "T-E-1", "T-E-2"}
    response = client.post(f"/cms/officers/edit/{officer.pk}/",
                           officer_form(officer, unit=org.east.pk,
                                        user=people["admin"].pk))
    officer.refresh_from_db()
    assert officer.unit_id == org.east.pk and officer.user == people["officer"]

    # Officers come with their accounts through the roster import, not the admin.
    assert client.get("/cms/officers/new/").status_code in (302, 403)


def test_wagtail_officer_admin_searches_in_chinese(client_for, people):
    response = client_for(people["admin"]).get("/cms/officers/", {"q": "小兵"})
    assert [o.name for o in response.context["object_list"]] == ["王小兵"]


def test_wagtail_unit_admin_shows_the_tree_within_scope(client_for, people):
    response = client_for(people["manager"]).get("/cms/units/")
    assert response.status_code == 200
    assert [u.code for u in response.context["object_list"]] == ["T-E", "T-E-1", "T-E-2"]


def test_officers_cannot_open_the_wagtail_admin(client_for, people):
    response = client_for(people["officer"]).get("/cms/")
    assert response.status_code in (302, 403)


def test_an_admin_adds_a_unit_under_a_parent_through_wagtail(client_for, people, org):
    from people.models import Unit

    client = client_for(people["admin"])
    form = client.get("/cms/units/new/")
    assert form.status_code == 200
    response = client.post("/cms/units/new/", {
        "name": "东区第三大队", "short_name": "", "code": "T-E-3", "level": "brigade",
        "is_active": "on", "treebeard_position": "sorted-child", "treebeard_ref_node": org.east.pk,
    })
    assert response.status_code == 302, response.context["form"].errors
    unit = Unit.objects.get(code="T-E-3")
    assert unit.get_parent() == org.east


@pytest.mark.parametrize("name, shown", [("officer", False), ("judge", False), ("trainer", True),
                                         ("organizer", True), ("manager", True), ("admin", True)])
def test_the_console_link_follows_the_admin_permission(client_for, people, name, shown):
    page = client_for(people[name]).get(reverse("exams:my_exams")).content.decode()
    assert (reverse("wagtailadmin_home") in page) is shown


def test_a_permission_granted_outside_the_roles_still_shows_the_console(client_for, people):
    from django.contrib.auth.models import Group, Permission

    grant = Permission.objects.get(content_type__app_label="wagtailadmin",
                                   codename="access_admin")
    officer = people["officer"]
    officer.user_permissions.add(grant)
    assert reverse("wagtailadmin_home") in client_for(officer).get(
        reverse("exams:my_exams")).content.decode()
    officer.user_permissions.clear()
    editors = Group.objects.create(name="其他编辑")  # a group made in the admin, not a role
    editors.permissions.add(grant)
    people["judge"].groups.add(editors)
    assert reverse("wagtailadmin_home") in client_for(people["judge"]).get(
        reverse("exams:my_exams")).content.decode()


@pytest.mark.parametrize("name, console", [("officer", False), ("judge", False),
                                           ("trainer", True), ("admin", True)])
def test_roles_and_the_console_link_cost_one_query(people, name, console,
                                                    django_assert_num_queries):
    from django.contrib.auth import get_user_model

    from people.roles import Role, can_open_console, user_roles

    user = get_user_model().objects.get(pk=people[name].pk)
    with django_assert_num_queries(1):
        roles = user_roles(user)
        assert can_open_console(user) is console
        assert user_roles(user) is roles
    assert Role(name) in roles
