from .roles import Role, user_roles


def roles(request):
    """Expose the user's roles to templates as `roles` (a set of codes) and `Role`."""
    return {"roles": user_roles(request.user), "Role": Role}
