"""The certificate settings an operator may change: a non-default number format is used, and
bad values are reported by the system checks (at start-up) rather than at the first issue."""
import pytest

from certificates import checks
from certificates.numbering import next_number


def ids(errors):
    return sorted({error.id for error in errors})


def test_the_default_settings_pass_the_checks():
    assert checks.certificate_settings() == []


def test_renewal_rules_read_from_the_environment_as_text_pass_the_checks(settings):
    settings.CERTIFICATE_RENEWAL = {"months": 6, "min_hours": "7.5", "window_days": 60}
    assert checks.certificate_settings() == []


def test_a_configured_number_format_and_region_are_used(db, settings):
    settings.CERTIFICATE_REGION_CODE = "浙A"
    settings.CERTIFICATE_NUMBER_FORMAT = "{region}-{year}-{serial:04d}"
    assert checks.certificate_settings() == []
    assert next_number(2026) == "浙A-2026-0001"
    assert next_number(2026) == "浙A-2026-0002"
    assert next_number(2027) == "浙A-2027-0001"


@pytest.mark.parametrize("name, value, error", [
    ("CERTIFICATE_REGION_CODE", "", "certificates.E001"),
    ("CERTIFICATE_NUMBER_FORMAT", "{region}{year}", "certificates.E002"),
    ("CERTIFICATE_NUMBER_FORMAT", "{region}{yr}{serial}", "certificates.E003"),
    ("CERTIFICATE_NUMBER_FORMAT", "{serial:d}{region:x}", "certificates.E003"),
    ("CERTIFICATE_NUMBER_FORMAT", "{region}" * 20 + "{serial}", "certificates.E004"),
    ("CERTIFICATE_RENEWAL", {"monhts": 12}, "certificates.E005"),
    ("CERTIFICATE_RENEWAL", {"months": 0}, "certificates.E006"),
    ("CERTIFICATE_RENEWAL", {"window_days": "90"}, "certificates.E006"),
    ("CERTIFICATE_RENEWAL", {"min_hours": "many"}, "certificates.E006"),
    ("CERTIFICATE_RENEWAL", {"min_hours": -1}, "certificates.E006"),
    ("CERTIFICATE_VERIFY_PER_MINUTE", 0, "certificates.E007"),
])
def test_bad_settings_are_reported(settings, name, value, error):
    setattr(settings, name, value)
    assert ids(checks.certificate_settings()) == [error]
