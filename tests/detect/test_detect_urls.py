"""URL rules, the learned model and the shipped default."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


@pytest.mark.parametrize(
    "url",
    [
        "HTTPS://WWW.Example.co.uk:8443/a?b=1#c",
        "http://[2001:db8::1]:8080/x?y",
        "user:pw@host.example.com/p",
        "//cdn.example.org/a.js",
        "http://example.com?",
        "http://example.com/a#",
        " 'http://Example.COM./path' ",
        "ftp://files.example.net/pub",
        "http://example.com:99999/",
        "http://[::1/",
        "http://a.example.com\t/b\n",
    ],
)
def test_fast_split_reads_urls_as_urlsplit(url: str) -> None:
    from urllib.parse import urlsplit

    from fanzha.detect.urls.rules import _split

    s = url.strip().strip("\"'<>")
    if "://" not in s[:12]:
        s = "http://" + s.lstrip("/")
    try:
        parts = urlsplit(s)
        port = parts.port
    except ValueError:
        assert _split(url) is None
        return
    path = parts.path + ("?" + parts.query if parts.query else "")
    path += "#" + parts.fragment if parts.fragment else ""
    host = (parts.hostname or "").rstrip(".").lower()
    assert _split(url) == (parts.scheme.lower(), host, path, "@" in parts.netloc, port)


def test_batch_features_equal_one_by_one() -> None:
    """Per-host caching and the vectorised path rules give the same rows as URL-by-URL calls."""
    from fanzha.detect.urls.model import featurize

    urls = [u for u, _ in generate(300, seed=9)] + [
        "http://example.com/jd.com/login",
        "http://example.com/a//b.apk",
        "http://user@evil.example.com:8080/",
    ]
    X, _, reasons = featurize(urls, host_parts=True)
    for i in (0, 7, 150, len(urls) - 3, len(urls) - 2, len(urls) - 1):
        Xi, _, ri = featurize([urls[i]], host_parts=True)
        assert abs(X[i] - Xi).max() < 1e-6
        assert [r.code for r in reasons[i]] == [r.code for r in ri[0]]


def test_stacked_model_scores_bare_hosts(tmp_path: Path) -> None:
    pairs = list(generate(1200, seed=13))
    model = UrlModel(C=8.0, host_parts=True, stack=True).fit(
        [u for u, _ in pairs], [y for _, y in pairs]
    )
    assert model.booster is not None
    test = list(generate(300, seed=14))
    v = model.score([bare(u) for u, _ in test])
    acc = sum(int(a.is_risky) == y for a, (_, y) in zip(v, test, strict=True)) / len(test)
    assert acc > 0.85
    model.save(tmp_path / "s", {"kind": "fanzha.url"})
    again = UrlModel.load(tmp_path / "s").score([u for u, _ in test[:20]])
    assert [a.score for a in again] == [a.score for a in model.score([u for u, _ in test[:20]])]


def test_structure_stats_vectorised_equal_python() -> None:
    from fanzha.detect.urls.model import _structure, featurize_parts

    urls = [u for u, _ in generate(300, seed=21)] + ["http://a.com/x١٢٣.php?a=1&b=2"]
    dense, _, parsed, _ = featurize_parts(urls)
    big = _structure(dense, parsed)  # ≥ 256 rows: pyarrow path
    one = [_structure(dense[i : i + 1], parsed[i : i + 1]) for i in range(len(parsed))]
    assert abs(big - np.vstack(one)).max() == 0
