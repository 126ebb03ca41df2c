"""POST /v1/check/text, /v1/check/url, /v1/check/app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def content_client(data_dir) -> Iterator[TestClient]:
    from fanzha.api.app import create_app

    with TestClient(create_app()) as c:
        yield c


def test_check_text(content_client: TestClient) -> None:
    r = content_client.post(
        "/v1/check/text",
        json={"text": "我是公安局的，你涉嫌洗钱，马上把钱转到安 全 账 户，不能告诉家人"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["is_fraud"] is True and body["fraud_type"] == "冒充公检法及政府机关类"
    assert 0.5 <= body["score"] <= 1.0
    assert any(e["phrase"] == "安全账户" for e in body["evidence"])
    r = content_client.post("/v1/check/text", json={"text": "妈，我今晚加班，不回来吃饭了"})
    assert r.json()["is_fraud"] is False and r.json()["fraud_type"] == ""


def test_check_text_validation(content_client: TestClient) -> None:
    assert content_client.post("/v1/check/text", json={}).status_code == 422
    assert content_client.post("/v1/check/text", json={"text": "x" * 20_001}).status_code == 422


def test_check_url(content_client: TestClient) -> None:
    r = content_client.post("/v1/check/url", json={"url": "http://icbc-jiedong.top/login"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (
        body["is_risky"] is True
        and body["reasons"]
        and body["registrable_domain"] == "icbc-jiedong.top"
    )
    r = content_client.post("/v1/check/url", json={"url": "https://www.icbc.com.cn/"})
    assert r.json()["is_risky"] is False


def test_check_app(content_client: TestClient) -> None:
    r = content_client.post(
        "/v1/check/app",
        json={
            "package": "com.zhifubao.anquan",
            "label": "支付宝",
            "permissions": ["android.permission.READ_SMS", "android.permission.INTERNET"],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["is_risky"] is True and r.json()["impersonates"] == "支付宝"


def test_lean_text_route_answers_like_fastapi(data_dir) -> None:
    """The lean ASGI route in front of the router answers as the FastAPI route (the contract)."""
    from fanzha.api.app import create_app
    from fanzha.api.routers import check_content

    lean_app = create_app()
    plain_app = create_app()
    check_content.remove_fast_routes(plain_app)
    assert isinstance(lean_app.router.routes[0], check_content.FastTextRoute)
    assert not any(isinstance(r, check_content.FastTextRoute) for r in plain_app.router.routes)
    bodies = [
        {"text": "我是公安局的，你涉嫌洗钱，马上把钱转到安 全 账 户"},
        {"text": "【顺丰】您的快递已到小区驿站，取件码4321。"},
        {"text": ""},
        {"text": "兼职刷单" * 600},  # long text: answered from the thread pool
        {},
        {"text": "x" * 20_001},
        {"text": 5},
        {"text": None},
    ]
    with TestClient(lean_app) as lean, TestClient(plain_app) as plain:
        for body in bodies:
            a = lean.post("/v1/check/text", json=body)
            b = plain.post("/v1/check/text", json=body)
            assert a.status_code == b.status_code, body
            ja, jb = a.json(), b.json()
            ja.pop("request_id", None)
            jb.pop("request_id", None)
            assert ja == jb, body
            assert a.headers.get("x-request-id")
        # malformed bodies: same status and field, the reason may be worded differently
        for raw in (b"{bad", b"", b"[1]"):
            a = lean.post(
                "/v1/check/text", content=raw, headers={"content-type": "application/json"}
            )
            b = plain.post(
                "/v1/check/text", content=raw, headers={"content-type": "application/json"}
            )
            assert a.status_code == b.status_code == 422, raw
            assert [e["field"] for e in a.json()["errors"]] == [
                e["field"] for e in b.json()["errors"]
            ]
        assert lean.get("/v1/check/text").status_code == 405


def test_lean_url_route_answers_like_fastapi(data_dir) -> None:
    """The lean URL route (single-URL model path) answers as the FastAPI route."""
    from fanzha.api.app import create_app
    from fanzha.api.routers import check_content

    lean_app = create_app()
    plain_app = create_app()
    check_content.remove_fast_routes(plain_app)
    assert any(isinstance(r, check_content.FastUrlRoute) for r in lean_app.router.routes)
    bodies = [
        {"url": "http://icbc-jiedong.top/login"},
        {"url": "https://www.icbc.com.cn/"},
        {"url": "http://paypa1.com/signin?x=1"},
        {"url": "http://例子.测试/登录"},
        {"url": "   "},
        {"url": "http://user@evil.example.com:8080/jd.com/a.apk"},
        {"url": ""},
        {},
        {"url": 5},
    ]
    with TestClient(lean_app) as lean, TestClient(plain_app) as plain:
        for body in bodies:
            a = lean.post("/v1/check/url", json=body)
            b = plain.post("/v1/check/url", json=body)
            assert a.status_code == b.status_code, body
            ja, jb = a.json(), b.json()
            ja.pop("request_id", None)
            jb.pop("request_id", None)
            assert ja == jb, body
        assert lean.get("/v1/check/url").status_code == 405
