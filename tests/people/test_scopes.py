from people.models import Officer
from people.scopes import can_see_officer, can_see_unit, visible_officers, visible_units


def codes(units):
    return sorted(unit.code for unit in units)


def test_manager_sees_exactly_their_unit_and_everything_below(org, people):
    assert codes(visible_units(people["manager"])) == ["T-E", "T-E-1", "T-E-2"]


def test_manager_of_another_unit_sees_only_that_subtree(org, people):
    assert codes(visible_units(people["other_manager"])) == ["T-W", "T-W-1"]


def test_admin_sees_every_unit(org, people):
    assert codes(visible_units(people["admin"])) == ["T", "T-E", "T-E-1", "T-E-2", "T-W", "T-W-1"]


def test_plain_officer_and_judge_see_no_unit(org, people):
    assert not visible_units(people["officer"]).exists()
    assert not visible_units(people["judge"]).exists()


def test_visible_officers_follow_the_unit_scope(org, people):
    seen = set(visible_officers(people["manager"]).values_list("user__username", flat=True))
    assert seen == {"officer", "manager"}
    assert visible_officers(people["admin"]).count() == Officer.objects.count()


def test_a_unit_named_like_a_prefix_of_another_is_not_in_scope(org, people):
    # Tree paths are fixed-width, so T-E's path is never a prefix of T-W's subtree.
    assert not can_see_unit(people["manager"], org.west1)
    assert can_see_unit(people["manager"], org.east2)


def test_everyone_can_see_themselves_but_not_others_outside_scope(org, people):
    officer = people["officer"].officer
    assert can_see_officer(people["officer"], officer)
    assert not can_see_officer(people["officer"], people["judge"].officer)
    assert can_see_officer(people["manager"], officer)
    assert not can_see_officer(people["other_manager"], officer)
