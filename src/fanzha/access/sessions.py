"""Console sessions: short-lived signed tokens for people who log in with a password.

A token is ``fzs_<payload>.<signature>`` where the payload (base64url JSON: user id, expiry) is
signed with HMAC-SHA256 under the platform secret. Tokens are stateless, so several API workers
accept them; the user is looked up on every request, so disabling a user ends their sessions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fanzha.access.principal import Principal
from fanzha.access.users import authenticate, principal_of
from fanzha.store.tables.access import User

PREFIX = "fzs_"
SESSION_TTL = timedelta(hours=12)


def _sign(payload: bytes, secret: bytes) -> str:
    return (
        base64.urlsafe_b64encode(hmac.new(secret, payload, hashlib.sha256).digest())
        .decode()
        .rstrip("=")
    )


def issue(user_id: str, secret: bytes, now: datetime, ttl: timedelta = SESSION_TTL) -> str:
    body = json.dumps({"u": user_id, "exp": int((now + ttl).timestamp())}, separators=(",", ":"))
    payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    return f"{PREFIX}{payload}.{_sign(payload.encode(), secret)}"


def login(
    session: Session, user_id: str, password: str, secret: bytes, now: datetime
) -> tuple[str, Principal] | None:
    principal = authenticate(session, user_id, password)
    if principal is None:
        return None
    return issue(user_id, secret, now), principal


def resolve(session: Session, token: str, secret: bytes, now: datetime) -> Principal | None:
    """The principal of a valid, unexpired token whose user still exists and is enabled."""
    if not token.startswith(PREFIX) or "." not in token:
        return None
    payload, sig = token[len(PREFIX) :].rsplit(".", 1)
    if not hmac.compare_digest(sig, _sign(payload.encode(), secret)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        user_id, exp = str(data["u"]), int(data["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    if exp < now.timestamp():
        return None
    user = session.get(User, user_id)
    if user is None or user.disabled:
        return None
    return principal_of(session, user)
