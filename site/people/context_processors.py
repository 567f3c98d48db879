from django.utils.functional import SimpleLazyObject

from .roles import Role, can_open_console, user_roles


def roles(request):
    """Expose the user's roles to templates as `roles` (a set of codes) and `Role`, and
    `console`: whether to link the management console (read only if a template asks)."""
    return {"roles": user_roles(request.user), "Role": Role,
            "console": SimpleLazyObject(lambda: can_open_console(request.user))}
