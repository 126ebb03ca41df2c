"""Console session tokens: signed, expiring, tied to an enabled user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fanzha.access import orgs, sessions, users
from fanzha.access.principal import OrgKind, Role
from fanzha.store.db import session_scope
from fanzha.store.migrate import upgrade
from fanzha.store.tables.access import User

SECRET = b"platform-secret"
NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


def test_login_resolve_expire_tamper_disable(data_dir) -> None:
    upgrade()
    with session_scope() as s:
        orgs.add_org(s, "sc", "四川省公安厅", OrgKind.PROVINCE_POLICE, "510000", now=NOW)
        orgs.add_org(s, "cd", "成都市公安局", OrgKind.CITY_POLICE, "510100", "sc", now=NOW)
        orgs.add_org(s, "jj", "锦江分局", OrgKind.COUNTY_POLICE, "510104", "cd", now=NOW)
        users.add_user(s, "li", "jj", "李警官", "correct horse", [Role.OFFICER], now=NOW)
        assert sessions.login(s, "li", "wrong password", SECRET, NOW) is None
        token, who = sessions.login(s, "li", "correct horse", SECRET, NOW)
        assert who.division_code == "510104" and who.user_id == "li"
        assert sessions.resolve(s, token, SECRET, NOW + timedelta(hours=1)) == who
        assert sessions.resolve(s, token, SECRET, NOW + sessions.SESSION_TTL + timedelta(1)) is None
        assert sessions.resolve(s, token, b"other-secret", NOW) is None
        forged = sessions.issue("admin", b"guess", NOW)
        assert sessions.resolve(s, forged, SECRET, NOW) is None
        payload, sig = token.rsplit(".", 1)
        assert sessions.resolve(s, payload + "x." + sig, SECRET, NOW) is None
        s.get(User, "li").disabled = True
        assert sessions.resolve(s, token, SECRET, NOW) is None
