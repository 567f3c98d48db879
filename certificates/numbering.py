"""Certificate numbers: a region code, the year and a serial, unique even under concurrency.

The format is settings.CERTIFICATE_NUMBER_FORMAT (default "{region}{year}{serial:05d}") with
settings.CERTIFICATE_REGION_CODE (default "JZ"). Each region-and-year prefix has one counter
row; taking a number locks it (SELECT … FOR UPDATE) until the issuing transaction commits,
so two issuances at the same moment wait for each other instead of taking the same serial.
"""
from django.conf import settings
from django.db import transaction

from .models import Certificate, NumberCounter

DEFAULT_FORMAT = "{region}{year}{serial:05d}"


def number_format():
    return getattr(settings, "CERTIFICATE_NUMBER_FORMAT", DEFAULT_FORMAT)


def region_code():
    return getattr(settings, "CERTIFICATE_REGION_CODE", "JZ")


def next_number(year):
    """Return a new, unused certificate number for `year` (call inside the issuing transaction)."""
    region = region_code()
    prefix = f"{region}-{year}"
    # Create the counter row if missing; a concurrent creator makes this a no-op, not an error.
    NumberCounter.objects.bulk_create([NumberCounter(prefix=prefix)], ignore_conflicts=True)
    with transaction.atomic():
        counter = NumberCounter.objects.select_for_update().get(prefix=prefix)
        while True:
            counter.last += 1
            number = number_format().format(region=region, year=year, serial=counter.last)
            # Imported certificates may already hold numbers of this series: skip them.
            if not Certificate.objects.filter(number=number).exists():
                break
        counter.save(update_fields=["last"])
    return number
