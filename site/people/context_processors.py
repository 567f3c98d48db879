from .roles import Role, can_open_console, user_roles


def roles(request):
    """Expose the user's roles to templates as `roles` (a set of codes) and `Role`, and
    `console`: whether to link the management console (answered by the roles' query)."""
    return {"roles": user_roles(request.user), "Role": Role,
            "console": can_open_console(request.user)}
