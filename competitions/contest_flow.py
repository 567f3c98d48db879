"""
A contest's status: draft → registration → running → marking → results published → archived.

An organizer moves one step forward at a time, or back where it is safe: from
registration to draft (to fix the set-up), from running to registration, and from
results published to marking (to correct a mark; publication is withdrawn). Moving
from running to marking marks judged work that was never handed in as not attempted;
going back from marking to running is refused once any judge has given a mark (a
judge's mark, even a draft, is on work that must not change any more). Publishing
needs every submission resolved and is done by awards.publish (rescoring, awards).
"""
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Contest, ContestStatus, EventKind, Mark, Submission

S = ContestStatus
MOVES = {
    S.DRAFT: (S.REGISTRATION,),
    S.REGISTRATION: (S.RUNNING, S.DRAFT),
    S.RUNNING: (S.MARKING, S.REGISTRATION),
    S.MARKING: (S.PUBLISHED, S.RUNNING),
    S.PUBLISHED: (S.ARCHIVED, S.MARKING),
    S.ARCHIVED: (),
}


class FlowError(Exception):
    """A move the rules refuse; the message (and `problems`) are shown to the organizer."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


def allowed_moves(contest):
    return MOVES[ContestStatus(contest.status)]


def move(contest, to, user=None):
    """Move `contest` to status `to`; raise FlowError when the move is not allowed."""
    to = ContestStatus(to)
    if to not in allowed_moves(contest):
        raise FlowError(_("A contest cannot go from “%(from)s” to “%(to)s”.") % {
            "from": ContestStatus(contest.status).label, "to": to.label})
    if to == S.REGISTRATION and not contest.events.exists():
        raise FlowError(_("Add the contest's events before opening registration."))
    if to == S.REGISTRATION and contest.events.filter(open_to_outsiders=True).exists():
        # Created here, by the organizer, not by an anonymous visitor's registration.
        from .registration import external_unit

        external_unit()
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if to not in allowed_moves(contest):
            raise FlowError(_("A contest cannot go from “%(from)s” to “%(to)s”.") % {
                "from": ContestStatus(contest.status).label, "to": to.label})
        if (contest.status == S.MARKING and to == S.RUNNING
                and Mark.objects.filter(submission__event__contest=contest).exists()):
            raise FlowError(_("The judges have started marking: the contest cannot go back "
                              "to running. Unlock and correct marks while it is being "
                              "marked instead."))
        if to == S.PUBLISHED:
            # One way to publish: awards.publish rescores, computes the awards, publishes.
            from .awards import PublicationBlocked, publish

            try:
                return publish(contest, user)
            except PublicationBlocked as exc:
                raise FlowError(str(exc), exc.blockers) from None
        if to == S.MARKING and contest.status == S.RUNNING:
            # Judged work never handed in is "not attempted" (scored None, not 0).
            Submission.objects.filter(event__contest=contest, submitted_at__isnull=True,
                                      ).exclude(event__kind=EventKind.QUIZ).update(
                not_attempted=True)
        elif contest.status == S.PUBLISHED and to == S.MARKING:
            contest.published_at = None
        contest.status = to
        contest.save(update_fields=["status", "published_at"])
    return contest
