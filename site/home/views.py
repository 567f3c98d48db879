from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from people.roles import Role, has_role


@login_required
def dashboard(request):
    """The signed-in person's own page: my exams, my study, my contests."""
    officer = getattr(request.user, "officer", None)
    return render(request, "home/dashboard.html", {
        "officer": officer,
        "is_manager": has_role(request.user, Role.MANAGER),
    })
