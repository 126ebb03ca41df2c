"""Organisations (division-code rules), API keys (hash only, shown once, revocable), users."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from fanzha.access import keys, orgs, users
from fanzha.access.principal import OrgKind, Role
from fanzha.store.db import session_scope
from fanzha.store.tables.access import ApiKey


@pytest.mark.parametrize(
    ("org_id", "kind", "division", "parent", "field"),
    [
        ("x1", "county_police", "51010", "cd-police", "division_code"),  # 5 digits
        ("x2", "county_police", "510704", "cd-police", "division_code"),  # outside Chengdu
        ("x3", "county_police", "510100", "cd-police", "division_code"),  # a city code
        ("x4", "city_police", "510100", None, "parent_id"),  # city without its province
        ("x5", "county_police", "510106", "bank-a", "parent_id"),  # a bank is no police parent
        ("x6", "police_station", "510105", "cd-jinjiang", "division_code"),  # other county
        ("x7", "police_station", None, "cd-jinjiang", "division_code"),
        ("x8", "county_police", "510106", "nope", "parent_id"),
        ("Bad Id", "bank", None, None, "id"),
        ("bank-a", "bank", None, None, "id"),  # exists
    ],
)
def test_org_rules(db, org_id, kind, division, parent, field) -> None:  # noqa: ANN001
    with session_scope(db) as s, pytest.raises(orgs.OrgError, match=f"^{field}:"):
        orgs.add_org(s, org_id, "名称", kind, division, parent)


def test_valid_police_tree(db) -> None:
    with session_scope(db) as s:
        orgs.add_org(s, "cd-wuhou", "武侯区公安分局", "county_police", "510107", "cd-police")
        orgs.add_org(s, "wuhou-st1", "派出所", "police_station", "510107", "cd-wuhou")
        assert [c.id for c in orgs.children(s, "cd-wuhou")] == ["wuhou-st1"]


def test_key_shown_once_hash_only_and_revocable(db) -> None:
    now = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    with session_scope(db) as s:
        issued = keys.create_key(s, "bank-a", "etl", now=now)
    assert issued.token.startswith(f"fz_{issued.prefix}_")
    secret = issued.token.split("_", 2)[2]
    with session_scope(db) as s:
        row = s.scalar(select(ApiKey).where(ApiKey.id == issued.id))
        stored = " ".join(str(v) for v in (row.secret_hash, row.prefix, row.name, row.roles))
        assert secret not in stored
        p = keys.resolve(s, issued.token, now)
        assert p is not None and p.org_id == "bank-a" and p.org_kind == OrgKind.BANK
        assert p.roles == frozenset({Role.PARTNER}) and p.key_id == issued.id
        assert (
            keys.resolve(s, issued.token[:-1] + ("x" if issued.token[-1] != "x" else "y")) is None
        )
        assert keys.resolve(s, "fz_nothing_here") is None
        assert keys.resolve(s, "garbage") is None
    with session_scope(db) as s:
        assert s.get(ApiKey, issued.id).last_used_at == now
        keys.revoke(s, issued.prefix, now)
    with session_scope(db) as s:
        assert keys.resolve(s, issued.token) is None


def test_police_key_carries_division(db) -> None:
    with session_scope(db) as s:
        issued = keys.create_key(s, "cd-jinjiang")
        p = keys.resolve(s, issued.token)
    assert p.division_code == "510104" and p.org_kind == OrgKind.COUNTY_POLICE


def test_users_scrypt_passwords(db) -> None:
    with session_scope(db) as s:
        u = users.add_user(s, "li", "cd-police", "李警官", "correct horse", [Role.OFFICER])
        assert u.password_hash.startswith("scrypt$") and "correct horse" not in u.password_hash
        p = users.authenticate(s, "li", "correct horse")
        assert p is not None and p.user_id == "li" and p.division_code == "510100"
        assert users.authenticate(s, "li", "wrong horse!") is None
        with pytest.raises(ValueError, match="password"):
            users.add_user(s, "wang", "cd-police", "王", "short", [Role.OFFICER])


def test_roles_are_bounded_by_org_kind(db) -> None:
    with session_scope(db) as s:
        with pytest.raises(ValueError, match="roles: bank"):
            keys.create_key(s, "bank-a", "x", ["investigator"])
        with pytest.raises(ValueError, match="roles: bank"):
            users.add_user(s, "zhao", "bank-a", "赵", "long enough", [Role.ANALYST])
        u = users.add_user(s, "zhao", "bank-a", "赵", "long enough", [Role.PARTNER, Role.ADMIN])
        assert u.roles == ["admin", "partner"]
        with pytest.raises(ValueError, match="roles"):
            users.set_roles(s, "zhao", [])


def test_disable_password_and_roles(db) -> None:
    with session_scope(db) as s:
        users.add_user(s, "li", "cd-police", "李警官", "correct horse", [Role.OFFICER])
        users.set_disabled(s, "li", True)
        assert users.authenticate(s, "li", "correct horse") is None
        users.set_disabled(s, "li", False)
        users.set_password(s, "li", "battery staple")
        assert users.authenticate(s, "li", "correct horse") is None
        assert users.authenticate(s, "li", "battery staple") is not None
        p = users.principal_of(s, users.set_roles(s, "li", ["officer", "investigator"]))
        assert p.roles == {Role.OFFICER, Role.INVESTIGATOR}
        with pytest.raises(ValueError, match="id: 用户 nobody"):
            users.set_password(s, "nobody", "whatever123")
