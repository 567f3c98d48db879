"""One officer's training file 培训档案: everything they studied, attended, sat and won."""
from django.db.models import F


def training_file(officer):
    """Return the officer's records, each list ordered by date (one query per kind)."""
    from certificates.models import Certificate
    from competitions.models import AwardResult, Entry
    from content.models import Attendance, StudyRecord
    from exams.models import Attempt

    certificate = Certificate.objects.filter(officer=officer).first()
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
        "contests": list(Entry.objects.filter(officer=officer)
                         .select_related("contest", "unit").order_by("-contest__year")),
        "awards": list(AwardResult.objects.filter(entry__officer=officer)
                       .exclude(prize="").select_related("contest", "event")
                       .order_by("-contest__year", "scope", "place")),
    }
