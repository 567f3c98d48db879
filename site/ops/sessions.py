"""
Sessions: kept in the database, read through Redis; an exam carries on when Redis is down.

Every request of a signed-in officer reads the session. On exam day that is one request
every few seconds per officer, so the read goes to Redis (a cache in front of the
database: Django's `cached_db` engine) and PostgreSQL is left to store the answers.

The database stays the record: every write goes to it first, so a Redis restart (this
deployment's Redis keeps nothing on disk) loses nothing. Django's own `cached_db` store
turns a Redis failure on reading, checking or deleting into a 500; this one falls back to
the database instead, and after a failure leaves Redis alone for `RETRY_SECONDS` so that
a Redis host that stopped answering costs one timeout, not one per request.

Signing in writes the new session once: Django's `cycle_key` checks that a fresh random key
is unused (a SELECT), stores the session empty (an INSERT) and rewrites it with the user
at the end of the request (an UPDATE); here the key is only drawn and the session is
inserted once, with its data, when the response is sent. A key that were somehow taken
already fails that INSERT and another is drawn (32 random characters: it never happens).

Cached copies live at most `CACHE_SECONDS`. That bounds the one thing a failover cannot
settle: a session ended (signed out) while Redis was unreachable, whose cached copy a
Redis that comes back with its data would still hold.
"""
import logging
import time

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.utils.crypto import get_random_string

log = logging.getLogger(__name__)

RETRY_SECONDS = 10
CACHE_SECONDS = 300
_skip_until = 0.0


def _cache_usable():
    return time.monotonic() >= _skip_until


def _cache_failed(action):
    global _skip_until
    if _cache_usable():
        log.warning("session cache unavailable (%s); using the database for %d s",
                    action, RETRY_SECONDS, exc_info=True)
    _skip_until = time.monotonic() + RETRY_SECONDS


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = None
        if _cache_usable():
            try:
                data = self._cache.get(self.cache_key)
            except Exception:
                _cache_failed("read")
        if data is not None:
            return data
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        self._cache_set(data, session.expire_date)
        return data

    def exists(self, session_key):
        if session_key and _cache_usable():
            try:
                if (self.cache_key_prefix + session_key) in self._cache:
                    return True
            except Exception:
                _cache_failed("check")
        return super(cached_db.SessionStore, self).exists(session_key)

    def cycle_key(self):
        """A new key for the same data (at sign-in); stored by `save` at the response."""
        data = self._session
        key = self.session_key
        self._session_key = get_random_string(32, VALID_KEY_CHARS)
        self._session_cache = data
        self._insert = self.modified = True
        if key:
            self.delete(key)

    def save(self, must_create=False):
        if getattr(self, "_insert", False):  # a key from cycle_key, not yet stored
            while True:
                try:
                    super(cached_db.SessionStore, self).save(must_create=True)
                    break
                except CreateError:
                    self._session_key = get_random_string(32, VALID_KEY_CHARS)
            self._insert = False
        else:
            super(cached_db.SessionStore, self).save(must_create)  # the database first
        self._cache_set(self._session)

    def delete(self, session_key=None):
        super(cached_db.SessionStore, self).delete(session_key)  # the database first
        session_key = session_key or self.session_key
        if session_key and _cache_usable():
            try:
                self._cache.delete(self.cache_key_prefix + session_key)
            except Exception:
                _cache_failed("delete")

    def _cache_set(self, data, expiry=None):
        if not _cache_usable():
            return
        seconds = min(self.get_expiry_age(expiry=expiry) if expiry else self.get_expiry_age(),
                      CACHE_SECONDS)
        try:
            self._cache.set(self.cache_key, data, seconds)
        except Exception:
            _cache_failed("write")
