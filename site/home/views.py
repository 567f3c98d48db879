from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from people.roles import Role, has_role


def my_contest_entries(officer, limit=5):
    """The officer's latest contest entries (not withdrawn), with their contests: one query."""
    from competitions.models import Entry, EntryStatus

    return list(Entry.objects.filter(officer=officer).exclude(status=EntryStatus.WITHDRAWN)
                .select_related("contest").order_by("-contest__year", "-pk")[:limit])


@login_required
def dashboard(request):
    """The signed-in person's own page: my exams, my study, my contests."""
    from certificates.dashboard import reminders
    from content.assignments import assigned_to
    from exams.dashboard import my_exams

    officer = getattr(request.user, "officer", None)
    return render(request, "home/dashboard.html", {
        "officer": officer,
        "exams": my_exams(officer, limit=3) if officer else None,
        "certificate_reminders": reminders(request.user),
        "study_items": assigned_to(officer, request.user) if officer else [],
        "contest_entries": my_contest_entries(officer) if officer else [],
        "is_manager": has_role(request.user, Role.MANAGER),
    })
