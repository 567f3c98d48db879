"""System checks (`manage.py check`, run at every start) for the certificate settings an
operator may set from the environment: a bad number format or renewal rule is reported at
start-up, not when the first certificate is issued."""
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.checks import Error, register

from .numbering import number_format, region_code
from .renewal import DEFAULTS, rules_config

NUMBER_MAX_LENGTH = 40  # Certificate.number


def _number_errors():
    fmt, region = number_format(), region_code()
    if not isinstance(region, str) or not region.strip():
        return [Error("CERTIFICATE_REGION_CODE must be a non-empty text.",
                      id="certificates.E001")]
    if not isinstance(fmt, str) or "{serial" not in fmt:
        return [Error("CERTIFICATE_NUMBER_FORMAT must contain {serial} (e.g. "
                      "\"{region}{year}{serial:05d}\").", id="certificates.E002")]
    try:
        first = fmt.format(region=region, year=2026, serial=1)
        second = fmt.format(region=region, year=2026, serial=2)
        longest = fmt.format(region=region, year=2026, serial=99999)
    except (KeyError, IndexError, ValueError) as exc:
        return [Error(f"CERTIFICATE_NUMBER_FORMAT {fmt!r} cannot be filled in: {exc!r}; only "
                      "{region}, {year} and {serial} may be used.", id="certificates.E003")]
    if first == second:
        return [Error("CERTIFICATE_NUMBER_FORMAT gives the same number for two serials.",
                      id="certificates.E002")]
    if len(longest) > NUMBER_MAX_LENGTH:
        return [Error(f"CERTIFICATE_NUMBER_FORMAT gives numbers longer than "
                      f"{NUMBER_MAX_LENGTH} characters ({longest!r}).", id="certificates.E004")]
    return []


def _renewal_errors():
    extra = set(getattr(settings, "CERTIFICATE_RENEWAL", {})) - set(DEFAULTS)
    if extra:
        return [Error(f"CERTIFICATE_RENEWAL has unknown keys {sorted(extra)}; known: "
                      f"{sorted(DEFAULTS)}.", id="certificates.E005")]
    config = rules_config()
    errors = []
    for key, low in (("months", 1), ("window_days", 0)):
        value = config[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            errors.append(Error(f"CERTIFICATE_RENEWAL[{key!r}] must be an integer ≥ {low}, "
                                f"not {value!r}.", id="certificates.E006"))
    try:
        hours = Decimal(str(config["min_hours"]))
        if not hours.is_finite() or hours < 0:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(Error(f"CERTIFICATE_RENEWAL['min_hours'] must be a number ≥ 0, not "
                            f"{config['min_hours']!r}.", id="certificates.E006"))
    return errors


def _verify_errors():
    from .views import VERIFY_PER_MINUTE

    limit = getattr(settings, "CERTIFICATE_VERIFY_PER_MINUTE", VERIFY_PER_MINUTE)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        return [Error(f"CERTIFICATE_VERIFY_PER_MINUTE must be an integer ≥ 1, not {limit!r}.",
                      id="certificates.E007")]
    return []


@register()
def certificate_settings(app_configs=None, **kwargs):
    """Check the certificate number format, the renewal rules and the verification limit."""
    return _number_errors() + _renewal_errors() + _verify_errors()
