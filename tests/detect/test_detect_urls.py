"""URL rules, the learned model and the shipped default."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fanzha.detect.urls import UrlModel, default_model
from fanzha.detect.urls.corpus import generate
from fanzha.detect.urls.model import bare
from fanzha.detect.urls.rules import parse_url, rule_reasons, rule_score


def codes(url: str) -> set[str]:
    return {r.code for r in rule_reasons(parse_url(url))}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://paypa1.com/signin", "lookalike"),
        ("http://1cbc.com.cn", "lookalike"),
        ("http://amazom.com", "lookalike"),
        ("http://xn--pypal-4ve.com", "punycode"),
        ("http://icbc-anquan.top/zhanghu", "brand_in_host"),
        ("http://icbc-anquan.top/zhanghu", "pinyin_lure"),
        ("http://icbc-anquan.top/zhanghu", "risky_tld"),
        ("http://taobao.com.tuikuan-vip.cc/", "brand_in_host"),
        ("http://192.168.10.3/x.apk", "ip_host"),
        ("http://192.168.10.3/x.apk", "apk"),
        ("https://bit.ly/3abcd", "shortener"),
        ("http://kjhqwe8723hjkasd.com", "random_label"),
        ("http://user@evil.example.com/", "userinfo"),
        ("http://secure-login.serveftp.com/", "free_hosting"),
        ("http://example.com/jd.com/login", "brand_in_path"),
    ],
)
def test_rules_fire(url: str, code: str) -> None:
    assert code in codes(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.icbc.com.cn/login",
        "https://www.gov.cn",
        "http://www.sz.gov.cn/cn/",
        "https://taobao.com",
        "https://www.mims.com.au/",
        "https://pay.weixin.qq.com/",
    ],
)
def test_official_and_ordinary_sites_are_clean(url: str) -> None:
    assert rule_score(rule_reasons(parse_url(url))) < 0.3


def test_parse_and_bare() -> None:
    p = parse_url("HTTPS://WWW.Example.co.uk:8443/a?b=1#c")
    assert p.registrable == "example.co.uk" and p.port == 8443 and p.path == "/a?b=1#c"
    assert bare("https://a.b.example.com/x/y?z") == "https://a.b.example.com/"
    assert parse_url("例子.测试").punycode


def test_learned_model_on_generated_material(tmp_path: Path) -> None:
    pairs = list(generate(1500, seed=5))
    model = UrlModel().fit([u for u, _ in pairs], [y for _, y in pairs])
    test = list(generate(400, seed=6))
    verdicts = model.score([u for u, _ in test])
    acc = sum(int(v.is_risky) == y for v, (_, y) in zip(verdicts, test, strict=True)) / len(test)
    assert acc > 0.9
    model.save(tmp_path / "m", {"kind": "fanzha.url"})
    assert (
        UrlModel.load(tmp_path / "m").score(["http://paypa1.com"])[0].score
        == model.score(["http://paypa1.com"])[0].score
    )


def test_default_model_verdicts() -> None:
    m = default_model()
    risky = m.score(
        ["http://icbc-jiedong.top/login", "http://paypa1.com", "http://95.12.3.4/a.apk"]
    )
    assert all(v.is_risky and v.reasons for v in risky)
    ok = m.score(["https://www.icbc.com.cn/", "https://www.jd.com/", ""])
    assert not any(v.is_risky for v in ok)
    assert any("官方域名" in r for r in ok[0].reasons)


def test_default_model_on_phishing_sample(datasets_dir: Path) -> None:
    """Unlicensed set, evaluation only: the shipped model never trained on it."""
    d = pd.read_csv(datasets_dir / "urls" / "esdaung_phish" / "balanced_train.csv").sample(
        400, random_state=1
    )
    verdicts = default_model().score(d.url.tolist())
    y = d.is_phishing.tolist()
    tp = sum(v.is_risky and t for v, t in zip(verdicts, y, strict=True))
    fp = sum(v.is_risky and not t for v, t in zip(verdicts, y, strict=True))
    assert fp / max(1, len(y) - sum(y)) < 0.2
    assert tp / sum(y) > 0.2
