from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import checked_import
from jobs.runner import start_job
from people.access import role_required
from people.roles import Role, has_role
from ops.i18n_text import join_list
from people.scopes import visible_officers, visible_units
from security.lockout import client_ip

from . import importing, issuing, renewal, roster
from .issuing import APPROVER_ROLES, awaiting_decision
from .forms import CertificateUploadForm, StatusChangeForm
from .models import Certificate, IssueRequest

ROSTER_ROLES = (Role.MANAGER, Role.ORGANIZER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VERIFY_PER_MINUTE = 30


def _own_officer(request):
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise Http404
    return officer


def _resit_exams(officer):
    """Return the qualification exams, open or coming, that the officer may (re)sit."""
    from exams.dashboard import naming
    from exams.models import Exam, ExamKind, ExamStatus

    now = timezone.now()
    exams = (Exam.objects.filter(kind=ExamKind.QUALIFICATION, status=ExamStatus.PUBLISHED,
                                 closes_at__gt=now)
             .filter(naming(officer)).distinct().order_by("opens_at")[:5])
    return list(exams)


@login_required
def mine(request):
    """The officer's own certificate: status, history, PDF, renewal rules, resit path."""
    from exams.models import Attempt, AttemptStatus, ExamKind

    officer = _own_officer(request)
    cert = Certificate.objects.filter(officer=officer).first()
    results = renewal.check(officer)
    failed = (Attempt.objects.filter(officer=officer, exam__kind=ExamKind.QUALIFICATION,
                                     status=AttemptStatus.MARKED, passed=False)
              .select_related("exam").order_by("-submitted_at")[:3])
    return render(request, "certificates/mine.html", {
        "officer": officer, "cert": cert,
        "changes": cert.changes.select_related("by", "by__officer")[:20] if cert else [],
        "rules": results, "eligible": renewal.eligible(results),
        "requests": officer.certificate_requests.all()[:10],
        "failed": failed, "resit_exams": _resit_exams(officer), "now": timezone.now(),
    })


@require_POST
@login_required
def mine_pdf(request):
    officer = _own_officer(request)
    cert = get_object_or_404(Certificate, officer=officer)
    job = start_job("certificates.pdf", owner=request.user, params={"certificate_id": cert.pk})
    return redirect(job)


@require_POST
@login_required
def renew(request):
    officer = _own_officer(request)
    renewal_request, _results = renewal.request_renewal(officer)
    if renewal_request is None:
        messages.error(request, _("You do not meet every rule for a renewal without exam."))
    else:
        messages.success(request, _("Your renewal without exam awaits an organizer's approval."))
    return redirect("certificates:mine")


def _unit_id(params):
    """The `unit` parameter as a unit id (0, which matches no unit, if it is not a number)."""
    value = params.get("unit") or ""
    return int(value) if value.isdigit() else 0


def _own(request, officer):
    """True if `officer` is the signed-in user: nobody decides on their own certificate."""
    return officer.user_id == request.user.pk


@role_required(*ROSTER_ROLES)
def roster_view(request):
    """Certificates per unit subtree within the user's scope, by validity."""
    units = visible_units(request.user)
    unit = units.filter(pk=_unit_id(request.GET)).first() or units.first()
    if unit is None:
        raise PermissionDenied
    show = request.GET.get("show", "certified")
    if show not in roster.VIEWS:
        show = "certified"
    officers = visible_officers(request.user)
    certs = roster.certificates_in(unit, officers, show).order_by("officer__unit__path",
                                                                   "valid_until")
    page = Paginator(certs, 50).get_page(request.GET.get("page"))
    uncertified = (officers.active().filter(unit__path__startswith=unit.path)
                   .filter(certificate__isnull=True).count())
    return render(request, "certificates/roster.html", {
        "units": units, "unit": unit, "show": show, "views": roster.VIEWS.items(),
        "counts": roster.counts(unit, officers), "page": page, "uncertified": uncertified,
    })


@require_POST
@role_required(*ROSTER_ROLES)
def roster_export(request):
    unit = visible_units(request.user).filter(pk=_unit_id(request.POST)).first()
    if unit is None:
        raise PermissionDenied
    show = request.POST.get("show", "all")
    job = start_job("certificates.roster_export", owner=request.user,
                    params={"unit_id": unit.pk, "show": show if show in roster.VIEWS else "all"})
    return redirect(job)


@require_POST
@role_required(*ROSTER_ROLES)
def batch_pdf(request):
    unit = visible_units(request.user).filter(pk=_unit_id(request.POST)).first()
    if unit is None:
        raise PermissionDenied
    job = start_job("certificates.pdf_batch", owner=request.user, params={"unit_id": unit.pk})
    return redirect(job)


@role_required(*APPROVER_ROLES)
def approvals(request):
    """The organizer's queue of certificates awaiting approval (within scope)."""
    pending = (awaiting_decision(request.user)
               .select_related("officer", "officer__unit", "attempt", "attempt__exam")
               .order_by("created_at", "pk"))
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "certificates/approvals.html", {"pending": page, "page": page})


@require_POST
@role_required(*APPROVER_ROLES)
def decide(request, request_id):
    issue = get_object_or_404(IssueRequest, pk=request_id,
                              officer__in=visible_officers(request.user))
    if _own(request, issue.officer):
        messages.error(request, _("Your own request is decided by another organizer."))
        return redirect("certificates:approvals")
    reason = request.POST.get("reason", "").strip()
    if request.POST.get("decision") == "approve":
        try:
            done = issuing.approve(issue.pk, request.user, reason)
        except issuing.RenewalNoLongerEligible as refused:
            messages.error(request, _(
                "Not approved: %(name)s no longer meets every rule for a renewal without "
                "exam (%(rules)s). Reject the request or wait until the rules hold.") % {
                    "name": issue.officer.name,
                    "rules": join_list(_("%(rule)s: %(detail)s") % {
                        "rule": rule.label, "detail": rule.detail}
                        for rule in refused.failing)})
            return redirect("certificates:approvals")
        text = _("Approved: the certificate of %(name)s is issued.")
    else:
        done = issuing.reject(issue.pk, request.user, reason)
        text = _("Rejected the request of %(name)s.")
    if done:
        messages.success(request, text % {"name": issue.officer.name})
    else:
        messages.error(request, _("This request was already decided."))
    return redirect("certificates:approvals")


def _scoped_certificate(request, pk):
    """Return the certificate if its officer lies in the user's scope, else raise 404."""
    return get_object_or_404(
        Certificate.objects.select_related("officer", "officer__unit"),
        pk=pk, officer__in=visible_officers(request.user))


def _render_detail(request, cert, form=None, status=200):
    may_decide = (has_role(request.user, *APPROVER_ROLES) and not _own(request, cert.officer)
                  and bool(issuing.allowed_decisions(cert)))
    if may_decide and form is None:
        form = StatusChangeForm(certificate=cert)
    return render(request, "certificates/detail.html", {
        "cert": cert, "officer": cert.officer,
        "changes": cert.changes.select_related("by", "by__officer")[:50],
        "form": form if may_decide else None,
    }, status=status)


@role_required(*ROSTER_ROLES)
def detail(request, pk):
    """One certificate within the user's scope: facts, history, and an organizer's decisions."""
    return _render_detail(request, _scoped_certificate(request, pk))


@require_POST
@role_required(*APPROVER_ROLES)
def change_status(request, pk):
    """Suspend, reinstate or revoke a certificate (organizers, within scope, with a reason)."""
    cert = _scoped_certificate(request, pk)
    if _own(request, cert.officer):
        raise PermissionDenied  # another organizer decides on one's own certificate
    form = StatusChangeForm(request.POST, certificate=cert)
    if not form.is_valid():
        return _render_detail(request, cert, form, status=400)
    try:
        cert = issuing.change_status(cert, form.cleaned_data["decision"], request.user,
                                     form.cleaned_data["reason"])
    except issuing.StatusChangeRefused:
        messages.error(request, _("This certificate's status changed meanwhile; "
                                  "look at it again before deciding."))
        return redirect("certificates:detail", pk=cert.pk)
    messages.success(request, _("The certificate of %(name)s is now: %(status)s.") % {
        "name": cert.officer.name, "status": cert.current_status.label})
    return redirect("certificates:detail", pk=cert.pk)


@role_required(*ROSTER_ROLES)
def import_template(request):
    response = HttpResponse(importing.build_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''certificates-template.xlsx"
    return response


@role_required(*ROSTER_ROLES)
def import_upload(request):
    return checked_import.upload_view(request, CertificateUploadForm, "certificates.import",
                                      "certificates/import.html")


@require_POST
@role_required(*ROSTER_ROLES)
def import_confirm(request, job_id):
    return checked_import.confirm_view(
        request, job_id, ("certificates.import",),
        _("Only a checked file without errors can be imported."))


def verify(request, token):
    """The public page a certificate's QR code opens: enough to catch an altered PDF.

    Rate-limited per client address and minute; the address is the sign-in lockout's
    (security.lockout.client_ip), so behind the HTTPS proxy each visitor has their own count.
    """
    limit = getattr(settings, "CERTIFICATE_VERIFY_PER_MINUTE", VERIFY_PER_MINUTE)
    key = f"certificates:verify:{client_ip(request)}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > limit:
        response = render(request, "certificates/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    cert = get_object_or_404(Certificate.objects.select_related("officer", "officer__unit"),
                             token=token)
    return render(request, "certificates/verify.html", {"cert": cert})
