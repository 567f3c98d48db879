"""One officer's training file 培训档案: everything they studied, attended, sat and won."""
from django.db.models import F


def training_file(officer):
    """Return the officer's records, each list ordered by date (one query per kind).

    Contest scores and awards are included only once the contest's results are published
    (what the results pages show), never while they are being marked or computed.
    """
    from certificates.models import Certificate
    from competitions.models import AwardResult, Entry
    from content.models import Attendance, StudyRecord
    from exams.models import Attempt

    from competitions.results import SHOWN_STATUSES, is_published

    certificate = Certificate.objects.filter(officer=officer).first()
    contests = list(Entry.objects.filter(officer=officer)
                    .select_related("contest", "unit").order_by("-contest__year"))
    for entry in contests:  # a score is the officer's only once the results are published
        entry.shown_total = entry.total if is_published(entry.contest) else None
    return {
        "officer": officer,
        "study": list(StudyRecord.objects.filter(officer=officer)
                      .select_related("page").order_by(F("completed_at").desc(nulls_last=True),
                                                       "-started_at")),
        "training": list(Attendance.objects.filter(officer=officer)
                         .select_related("event").order_by("-event__starts_at")),
        "exams": list(Attempt.objects.filter(officer=officer)
                      .exclude(status__in=["ready"])
                      .select_related("exam").order_by("-exam__opens_at", "-number")),
        "certificate": certificate,
        "certificate_history": list(certificate.changes.all()) if certificate else [],
        "contests": contests,
        "awards": list(AwardResult.objects.filter(entry__officer=officer,
                                                  contest__status__in=SHOWN_STATUSES)
                       .exclude(prize="").select_related("contest", "event")
                       .order_by("-contest__year", "scope", "place")),
    }
