from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from ops.unavailable import wants_json
from people.access import role_required
from people.roles import Role, has_role

from .annotating import annotate
from .filters import CaseFilterForm, live_cases
from .models import Annotation, CasePage


@login_required
def case_index(request):
    """The typical cases, with filters and search; a bounded number of queries."""
    cases = live_cases()
    form = CaseFilterForm(request.GET or None, cases=cases)
    found = form.apply(cases).prefetch_related("tags").order_by("-decided_on", "pk").distinct()
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tags = Tag.objects.filter(cases_library_casetag_items__isnull=False).distinct().order_by(
        "name")
    return render(request, "cases_library/case_index.html", {
        "form": form, "page": page, "query": query.urlencode(), "tags": tags,
    })


@require_POST
@role_required(Role.TRAINER)
def add_annotation(request, page_id):
    """Attach a trainer's note to a passage of a published case."""
    case = get_object_or_404(CasePage.objects.live(), pk=page_id)
    try:
        start, end = int(request.POST.get("start", "")), int(request.POST.get("end", ""))
        annotation = annotate(case, request.user, request.POST.get("block_id", ""), start, end,
                              request.POST.get("kind", ""), request.POST.get("comment", ""))
    except (ValueError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else _(
            "The selected passage is not in the paragraph.")
        if wants_json(request):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return redirect(case.url)
    if wants_json(request):
        return JsonResponse({"id": annotation.pk, "url": annotation.get_absolute_url()})
    return redirect(annotation.get_absolute_url())


@require_POST
@login_required
def delete_annotation(request, pk):
    annotation = get_object_or_404(Annotation.objects.select_related("case"), pk=pk)
    if annotation.author_id != request.user.pk and not has_role(request.user, Role.ADMIN):
        raise PermissionDenied
    case = annotation.case
    annotation.delete()
    messages.success(request, _("The note was deleted."))
    return redirect(case.url)
