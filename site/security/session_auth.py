"""
Who the session is signed in as, without loading the user — for the answer-save path.

`request.user` costs a query for the user's row on every request. Saving an answer is the
one request a thousand officers send every few seconds, and it looks the attempt up by
user anyway, so it fetches the user's password hash and active flag in that same query
and runs Django's own session check on them here (the checks of
`django.contrib.auth.get_user`: the backend is still configured, the user is active, the
session's hash matches the current password or a SECRET_KEY_FALLBACKS one). A password
change or a deactivated account therefore ends the session for saves exactly as it does
for every other page.

From sign-in on (and, for older sessions, once checked here) the session also keeps the
password's fingerprint (SHA-256 of the stored password hash, `FINGERPRINT_KEY`), so that
saves can leave the whole check to the database: the save's UPDATE matches only while the
user is active and their password hash still has that fingerprint (exams/sitting.py,
`_save_checked`); when it matches nothing, the full check above runs and says why. The
fingerprint is a hash of a salted hash and lives server-side with the session, beside
Django's own HMAC of the same value.
"""
import hashlib

from django.conf import settings
from django.contrib.auth import (BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY,
                                 get_user_model)
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.crypto import constant_time_compare

FINGERPRINT_KEY = "lianbing_password_fingerprint"


def password_fingerprint(password):
    return hashlib.sha256(password.encode()).hexdigest()


@receiver(user_logged_in, dispatch_uid="lianbing_password_fingerprint")
def remember_fingerprint(sender, request, user, **kwargs):
    """Record the fingerprint at sign-in: it is saved with the new session, at no cost."""
    if request is not None and hasattr(request, "session"):
        request.session[FINGERPRINT_KEY] = password_fingerprint(user.password)


def session_fingerprint(request):
    """The fingerprint recorded by a successful check, as bytes (None if none yet)."""
    value = request.session.get(FINGERPRINT_KEY)
    return bytes.fromhex(value) if value else None


def session_user_id(request):
    """The id of the user this session is signed in as, or None (no query)."""
    try:
        user_id = request.session[SESSION_KEY]
        backend = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    return get_user_model()._meta.pk.to_python(user_id)


def session_check(request):
    """Return check(password, is_active) -> bool, Django's session verification for the
    user's row; a failed check signs the session out, as `get_user` does."""

    def check(password, is_active):
        user = get_user_model()(password=password, is_active=is_active)
        session_hash = request.session.get(HASH_SESSION_KEY)
        current = user.get_session_auth_hash()
        verified = False
        if is_active and session_hash:
            if constant_time_compare(session_hash, current):
                verified = True
            elif any(constant_time_compare(session_hash, fallback)
                     for fallback in user.get_session_auth_fallback_hash()):
                request.session.cycle_key()
                request.session[HASH_SESSION_KEY] = current
                verified = True
        if not verified:
            request.session.flush()
            return False
        fingerprint = password_fingerprint(password)
        if request.session.get(FINGERPRINT_KEY) != fingerprint:
            request.session[FINGERPRINT_KEY] = fingerprint
        return True

    return check
