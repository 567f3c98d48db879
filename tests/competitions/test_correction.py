"""案卷纠错 scoring: matches, partial credit, false findings and their penalties."""
from decimal import Decimal

import pytest

from competitions.correction import (
    FIXED, SHARE, Finding, Penalty, PlantedError, score_correction,
)
from competitions.scoring_types import InvalidScoring

# Three planted errors worth 10 + 6 + 8 = 24; mean value 8.
KEY = (
    PlantedError("E1", "p3-line2", "evidence", 10),
    PlantedError("E2", "p5-line1", "procedure", 6),
    PlantedError("E3", "p7-line4", "legal_basis", 8),
)


def test_right_location_and_reason_gets_full_points():
    findings = [Finding("p3-line2", "evidence", "询问笔录未签名", reason_ok=True),
                Finding("p5-line1", "procedure", "未告知陈述申辩权", reason_ok=True)]
    result = score_correction(KEY, findings)
    # 10 + 6 = 16
    assert result.score == Decimal("16.00") and result.attempted
    assert result.missed == ("E3",) and result.false_findings == ()
    # precision = 2 matched findings / 2 findings = 1; recall = 2 / 3 errors = 0.6667
    assert result.precision == Decimal("1.0000") and result.recall == Decimal("0.6667")


def test_right_location_with_a_wrong_reason_gets_partial_credit():
    findings = [Finding("p3-line2", "evidence", reason_ok=False)]
    # 10 × 50% = 5
    assert score_correction(KEY, findings).score == Decimal("5.00")
    # 10 × 30% = 3
    assert score_correction(KEY, findings, partial_share="0.3").score == Decimal("3.00")
    match = score_correction(KEY, findings).matches[0]
    assert (match.key_id, match.full, match.confirmed) == ("E1", False, False)


def false_findings_case():
    # one full match (E1, 10 points) and three findings at locations with no error
    return [Finding("p3-line2", "evidence", reason_ok=True),
            Finding("p1-line1", "facts"), Finding("p2-line1", "documents"),
            Finding("p9-line9", "subject")]


@pytest.mark.parametrize("penalty, expected", [
    (Penalty(), "10.00"),                       # no penalty: 10
    (Penalty(FIXED, 2), "4.00"),                # 10 − 3 × 2 = 4
    (Penalty(SHARE, "0.25"), "4.00"),           # 10 − 3 × (0.25 × mean 8 = 2) = 4
    (Penalty(SHARE, "0.5"), "0.00"),            # 10 − 3 × 4 = −2 → floor at 0
    (Penalty(FIXED, 5), "0.00"),                # 10 − 15 → 0
])
def test_false_findings_cost_the_configured_penalty_and_the_score_floors_at_zero(penalty, expected):
    result = score_correction(KEY, false_findings_case(), penalty=penalty)
    assert result.score == Decimal(expected)
    assert result.false_findings == (1, 2, 3)
    # precision = 1 matched / 4 findings = 0.25; recall = 1 / 3 = 0.3333
    assert result.precision == Decimal("0.2500") and result.recall == Decimal("0.3333")


def test_each_key_error_is_matched_once_and_a_repeat_is_a_false_finding():
    findings = [Finding("p3-line2", "evidence", reason_ok=True),
                Finding("p3-line2", "evidence", reason_ok=True)]
    result = score_correction(KEY, findings, penalty=Penalty(FIXED, 1))
    # 10 − 1 × 1 = 9
    assert result.score == Decimal("9.00") and result.false_findings == (1,)


def test_a_right_reason_finding_wins_the_error_over_an_earlier_wrong_reason_one():
    findings = [Finding("p3-line2", "evidence", reason_ok=False),
                Finding("p3-line2", "evidence", reason_ok=True)]
    result = score_correction(KEY, findings)
    assert result.score == Decimal("10.00") and result.matches[0].finding == 1


def test_two_errors_at_one_location_are_told_apart_by_category():
    key = (PlantedError("A", "p1", "facts", 4), PlantedError("B", "p1", "documents", 2))
    result = score_correction(key, [Finding("p1", "documents", reason_ok=True),
                                    Finding("p1", "facts", reason_ok=True)])
    assert {(m.finding, m.key_id) for m in result.matches} == {(0, "B"), (1, "A")}
    assert result.score == Decimal("6.00")


def test_a_judge_confirmed_match_overrides_the_location_rule():
    # written at the wrong location, but the judge confirms it means E3: full 8 points
    findings = [Finding("p7-line3", "legal_basis", reason_ok=True, confirmed_key="E3")]
    result = score_correction(KEY, findings)
    assert result.score == Decimal("8.00") and result.matches[0].confirmed
    # a confirmed match takes the error before an automatic one can
    findings.append(Finding("p7-line4", "legal_basis", reason_ok=True))
    assert score_correction(KEY, findings).false_findings == (1,)
    with pytest.raises(InvalidScoring):
        score_correction(KEY, [Finding("x", "facts", confirmed_key="E9")])
    with pytest.raises(InvalidScoring):
        score_correction(KEY, [Finding("x", "facts", confirmed_key="E1"),
                               Finding("y", "facts", confirmed_key="E1")])


def test_not_attempted_is_kept_apart_from_a_zero_score():
    not_attempted = score_correction(KEY, None)
    assert not not_attempted.attempted and not_attempted.score is None
    assert not_attempted.precision is None and not_attempted.recall is None
    empty = score_correction(KEY, [])
    assert empty.attempted and empty.score == Decimal("0.00")
    # no findings: precision is 0/0, undefined → None; recall 0/3 = 0
    assert empty.precision is None and empty.recall == Decimal("0.0000")
    wrong = score_correction(KEY, [Finding("nowhere", "facts")])
    assert wrong.attempted and wrong.score == Decimal("0.00") and wrong.precision == Decimal("0")


def test_an_empty_key_has_no_recall():
    assert score_correction((), [Finding("p1", "facts")]).recall is None


def test_invalid_keys_and_settings_are_refused():
    with pytest.raises(InvalidScoring):
        PlantedError("E1", "p1", "weather", 5)
    with pytest.raises(InvalidScoring):
        PlantedError("E1", "p1", "facts", 0)
    with pytest.raises(InvalidScoring):
        score_correction(KEY + (PlantedError("E1", "p2", "facts", 1),), [])
    with pytest.raises(InvalidScoring):
        score_correction(KEY, [], partial_share="1.5")
    with pytest.raises(InvalidScoring):
        Penalty("double")
