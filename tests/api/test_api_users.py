"""``/v1/users``: admins manage users of their own organisation only; roles are bounded by the
organisation's kind; disabling a user ends their console session at once; passwords never leak."""

from __future__ import annotations

from conftest import auth  # tests/api/conftest.py (rootdir-relative import mode)


def _admin_key(org_id: str) -> str:
    from fanzha.access import keys
    from fanzha.store.db import session_scope

    with session_scope() as s:
        return keys.create_key(s, org_id, "admin", ["admin", "partner"]).token


def _new_user(uid: str, org: str, roles: list[str]) -> dict:
    return {"id": uid, "org_id": org, "name": "张三", "roles": roles, "password": "s3cret-pass"}


def test_bank_admin_manages_only_its_own_users(client, api_keys) -> None:  # noqa: ANN001
    bank_a = auth(_admin_key("bank-a"))
    r = client.post("/v1/users", json=_new_user("a.zhang", "bank-a", ["partner"]), headers=bank_a)
    assert r.status_code == 201, r.text
    assert "password" not in r.json() and "password_hash" not in r.json()
    # Another bank's user is invisible and cannot be created.
    r = client.post("/v1/users", json=_new_user("b.li", "bank-b", ["partner"]), headers=bank_a)
    assert r.status_code == 403
    platform = auth(api_keys["platform"])
    assert (
        client.post(
            "/v1/users", json=_new_user("b.li", "bank-b", ["partner"]), headers=platform
        ).status_code
        == 201
    )
    listed = client.get("/v1/users", headers=bank_a).json()
    assert [u["id"] for u in listed["items"]] == ["a.zhang"]
    assert client.get("/v1/users/b.li", headers=bank_a).status_code == 404
    assert (
        client.patch("/v1/users/b.li", json={"disabled": True}, headers=bank_a).status_code == 404
    )
    assert {u["id"] for u in client.get("/v1/users", headers=platform).json()["items"]} == {
        "a.zhang",
        "b.li",
    }


def test_roles_are_bounded_by_org_kind(client, api_keys) -> None:  # noqa: ANN001
    platform = auth(api_keys["platform"])
    r = client.post(
        "/v1/users", json=_new_user("x.wang", "bank-a", ["investigator"]), headers=platform
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "roles"
    ok = client.post("/v1/users", json=_new_user("x.wang", "bank-a", ["partner"]), headers=platform)
    assert ok.status_code == 201
    r = client.patch("/v1/users/x.wang", json={"roles": ["analyst"]}, headers=platform)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "roles"
    # Partners without the admin role cannot manage users at all.
    assert client.get("/v1/users", headers=auth(api_keys["bank-a"])).status_code == 403


def test_disable_ends_session_and_password_reset(client, api_keys) -> None:  # noqa: ANN001
    platform = auth(api_keys["platform"])
    body = _new_user("li.jing", "cd-jinjiang", ["officer"])
    assert client.post("/v1/users", json=body, headers=platform).status_code == 201
    login = client.post("/v1/auth/login", json={"username": "li.jing", "password": "s3cret-pass"})
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['token']}"}
    assert client.get("/v1/warnings/queue", headers=bearer).status_code == 200
    r = client.patch("/v1/users/li.jing", json={"disabled": True}, headers=platform)
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert client.get("/v1/warnings/queue", headers=bearer).status_code == 401
    client.patch(
        "/v1/users/li.jing", json={"disabled": False, "password": "new-pass-123"}, headers=platform
    )
    old = client.post("/v1/auth/login", json={"username": "li.jing", "password": "s3cret-pass"})
    assert old.status_code == 401
    new = client.post("/v1/auth/login", json={"username": "li.jing", "password": "new-pass-123"})
    assert new.status_code == 200
    audit = client.get("/v1/audit?limit=500", headers=platform).json()["items"]
    changes = [a for a in audit if a["action"] == "users.change"]
    assert changes and all("new-pass-123" not in str(a) for a in audit)
