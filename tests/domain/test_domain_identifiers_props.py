"""Property-based tests for every identifier kind: idempotence, raw forms, masks, errors."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.domain.identifiers import (
    IdentifierError,
    IdentifierKind,
    keyed_hash,
    mask,
    normalize,
    normalize_many,
)
from fanzha.domain.identifiers._base import luhn_check_digit
from fanzha.domain.identifiers._phone_tables import (
    COUNTRY_CODES,
    FOUR_DIGIT_AREA_CODES,
    MOBILE_PREFIXES,
    THREE_DIGIT_AREA_CODES,
)
from fanzha.domain.identifiers.resident_id import PROVINCES, check_char

TODAY = date(2024, 1, 1)
# Machines running this are shared; time limits per example would make the tests flaky.
relaxed = settings(deadline=None)


def digits(n: int, first: str = "0123456789") -> st.SearchStrategy[str]:
    if n == 0:
        return st.just("")
    return st.builds(
        lambda a, b: a + b,
        st.sampled_from(first),
        st.text("0123456789", min_size=n - 1, max_size=n - 1),
    )


def fullwidth(text: str) -> str:
    """ASCII → full-width forms (NFKC maps them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def pad(text: str) -> str:
    return f" \u3000{text}\t "


# --- phones ---------------------------------------------------------------------------------

mobile_values = st.builds(
    lambda p, rest: p + rest[: 11 - len(p)],
    st.sampled_from(sorted(MOBILE_PREFIXES)),
    st.text("0123456789", min_size=8, max_size=8),
)


def mobile_raw_forms(v: str) -> list[str]:
    spaced = f"{v[:3]} {v[3:7]} {v[7:]}"
    return [
        v,
        f"+86 {spaced}",
        f"+86-{v[:3]}-{v[3:7]}-{v[7:]}",
        f"0086{v}",
        f"86{v}",
        f"(+86){v}",
        f"{v[:3]}.{v[3:7]}.{v[7:]}",
        f"({v[:3]}) {v[3:]}",
        "0" + v,
        fullwidth(f"+86 {spaced}"),
        pad(v),
    ]


def _area_and_sub(area: str) -> st.SearchStrategy[str]:
    lengths = [8] if len(area) == 3 else [7, 8]
    return (
        st.sampled_from(lengths)
        .flatmap(lambda n: digits(n, "123456789"))
        .map(lambda sub: area + sub)
    )


fixed_line_values = st.sampled_from(
    sorted(THREE_DIGIT_AREA_CODES) + sorted(FOUR_DIGIT_AREA_CODES)
).flatmap(_area_and_sub)


def fixed_line_raw_forms(v: str) -> list[str]:
    a = 3 if v.startswith(("010", "02")) else 4
    area, sub = v[:a], v[a:]
    return [
        v,
        f"{area}-{sub}",
        f"({area}){sub}",
        f"({area}) {sub[:4]} {sub[4:]}",
        f"+86 {area[1:]} {sub}",
        f"0086-{area[1:]}-{sub}",
        f"86-{area[1:]}-{sub}",
        f"{area}-{sub}转123",
        f"{area}-{sub} ext. 9",
        fullwidth(f"{area}-{sub}"),
        pad(v),
    ]


service_values = st.one_of(
    st.sampled_from(["110", "119", "120", "10086", "10010", "12381", "96110", "95588", "12321"]),
    digits(3).map(lambda d: "95" + d),
    digits(4).map(lambda d: "96" + d),
    digits(7).map(lambda d: "400" + d),
    digits(7).map(lambda d: "800" + d),
    digits(3).map(lambda d: "12" + d),
    st.integers(5, 17).flatmap(digits).map(lambda d: "106" + d),
)


def service_raw_forms(v: str) -> list[str]:
    out = [v, fullwidth(v), pad(v), f"+86 {v}"]
    if len(v) == 10:
        out += [f"{v[:3]}-{v[3:6]}-{v[6:]}", f"{v[:3]} {v[3:6]} {v[6:]}"]
    return out


foreign_values = (
    st.sampled_from(sorted(COUNTRY_CODES))
    .flatmap(lambda cc: st.tuples(st.just(cc), st.integers(6, 15 - len(cc))))
    .flatmap(lambda t: digits(t[1], "123456789").map(lambda nsn: f"+{t[0]}{nsn}"))
)


def foreign_raw_forms(v: str) -> list[str]:
    from fanzha.domain.identifiers.phone import _country_of

    cc = _country_of(v[1:])
    nsn = v[1 + len(cc) :]
    out = [
        v,
        f"+{cc} {nsn[:3]} {nsn[3:]}",
        f"00{cc}-{nsn}",
        f"(+{cc}) {nsn}",
        f"{cc}{nsn}",
        fullwidth(f"+{cc} {nsn}"),
        pad(v),
    ]
    if cc != "39":
        out.append(f"+{cc} (0) {nsn}")
    return out


# --- cards, devices, accounts ------------------------------------------------------------------

bank_card_values = (
    st.integers(13, 19)
    .flatmap(lambda n: digits(n - 1, "123456789"))
    .map(lambda p: p + luhn_check_digit(p))
)


def bank_card_raw_forms(v: str) -> list[str]:
    groups = " ".join(v[i : i + 4] for i in range(0, len(v), 4))
    return [v, groups, groups.replace(" ", "-"), fullwidth(groups), pad(v)]


imei_values = digits(14).map(lambda p: p + luhn_check_digit(p))


def imei_raw_forms(v: str) -> list[str]:
    dashed = f"{v[:2]}-{v[2:8]}-{v[8:14]}-{v[14]}"
    return [v, dashed, f"IMEI: {v}", f"{v[:8]} {v[8:]}", fullwidth(dashed), pad(v)]


qq_values = st.integers(5, 11).flatmap(lambda n: digits(n, "123456789"))


def qq_raw_forms(v: str) -> list[str]:
    return [v, f"QQ:{v}", f"QQ号：{v}", f"{v}@qq.com", fullwidth(v), pad(v)]


wechat_values = st.from_regex(r"[a-z][a-z0-9_-]{5,19}", fullmatch=True)


def wechat_raw_forms(v: str) -> list[str]:
    return [
        v,
        v.upper(),
        v[:1].upper() + v[1:],
        f"微信号：{v}",
        f"wechat: {v}",
        fullwidth(v),
        pad(v),
    ]


email_values = st.builds(
    lambda local, host, tld: f"{local}@{host}.{tld}",
    st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,15}[a-z0-9]", fullmatch=True).filter(
        lambda s: ".." not in s
    ),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
    st.sampled_from(["com", "cn", "net", "org", "com.cn"]),
)
payment_values = st.one_of(
    mobile_values,
    email_values,
    digits(12).map(lambda d: "2088" + d),
    digits(9).map(lambda d: "1" + d),
)


def payment_raw_forms(v: str) -> list[str]:
    out = [v, f"支付宝：{v}", f"alipay:{v}", f"wechatpay: {v}", fullwidth(v), pad(v)]
    if "@" in v:
        out.append(v.upper())
    elif len(v) == 11:
        out += [f"+86 {v}", f"微信：+86-{v[:3]}-{v[3:7]}-{v[7:]}"]
    return out


# --- web and apps -------------------------------------------------------------------------------

_label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?", fullmatch=True).filter(
    lambda s: not s.startswith("xn--") and not s.isdigit()
)
_idn_label = st.sampled_from(["例子", "银行", "公安", "反诈", "客服", "中国工商"])
_tld = st.sampled_from(["com", "cn", "net", "org", "top", "xyz", "com.cn", "gov.cn", "xn--fiqs8s"])

hosts = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(st.one_of(_label, _idn_label.map(lambda u: __import__("idna").encode(u).decode())),
             min_size=1, max_size=3),
    _tld,
)  # fmt: skip
_seg = st.from_regex(r"[A-Za-z0-9_.~-]{1,10}", fullmatch=True).filter(
    lambda s: s not in (".", "..")
)
paths = st.lists(_seg, max_size=4).map(lambda segs: "/" + "/".join(segs))
queries = st.lists(
    st.tuples(st.from_regex(r"[a-z]{1,5}", fullmatch=True), st.from_regex(r"[A-Za-z0-9]{0,8}", fullmatch=True)),
    max_size=3,
).map(lambda kv: "&".join(f"{k}={v}" for k, v in kv))  # fmt: skip
url_values = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}{path}" + (f"?{query}" if query else ""),
    st.sampled_from(["http", "https"]),
    hosts,
    paths,
    queries,
)


def _unicode_host(host: str) -> str:
    import idna

    return ".".join(idna.decode(lab) if lab.startswith("xn--") else lab for lab in host.split("."))


def url_raw_forms(v: str) -> list[str]:
    scheme, _, rest = v.partition("://")
    host, slash, tail = rest.partition("/")
    port = "80" if scheme == "http" else "443"
    uhost = _unicode_host(host)
    return [
        v,
        f"{scheme.upper()}://{host.upper()}/{tail}",
        f"{scheme}://{host}:{port}/{tail}",
        f"{scheme}://{host}./{tail}#section",
        f"{scheme}://{uhost}/{tail}",
        f"{scheme}://{uhost.replace('.', '。')}/{tail}",
        fullwidth(v),
        pad(v),
    ] + (
        [f"{host}/{tail}", f"hxxp://{host.replace('.', '[.]')}/{tail}"] if scheme == "http" else []
    )


def domain_raw_forms(v: str) -> list[str]:
    u = _unicode_host(v)
    return [
        v,
        v.upper(),
        v + ".",
        u,
        u.upper(),
        f"https://{v}/login?a=1",
        f"{v}:8080",
        fullwidth(v),
        pad(u),
    ]


app_id_values = st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,10}", fullmatch=True), min_size=2,
                         max_size=5).map(".".join)  # fmt: skip


def app_id_raw_forms(v: str) -> list[str]:
    return [v, fullwidth(v), pad(v), f"https://play.google.com/store/apps/details?id={v}&hl=zh"]


apk_values = st.binary(min_size=1, max_size=64).map(lambda b: hashlib.sha256(b).hexdigest())


def apk_raw_forms(v: str) -> list[str]:
    colon = ":".join(v[i : i + 2] for i in range(0, 64, 2))
    return [
        v,
        v.upper(),
        f"sha256:{v}",
        f"SHA-256: {v.upper()}",
        colon.upper(),
        fullwidth(v),
        pad(v),
    ]


ip_values = st.ip_addresses().map(
    lambda ip: str(ip.ipv4_mapped) if getattr(ip, "ipv4_mapped", None) else ip.compressed
)


def ip_raw_forms(v: str) -> list[str]:
    import ipaddress

    ip = ipaddress.ip_address(v)
    if ip.version == 4:
        return [v, f"{v}:8080", f"::ffff:{v}", fullwidth(v), pad(v)]
    return [v, ip.exploded, ip.exploded.upper(), f"[{v}]", f"[{v}]:443", fullwidth(v), pad(v)]


def _id18(prefix: str, rest: str, born: date, seq: str) -> str:
    first17 = prefix + rest + born.strftime("%Y%m%d") + seq
    return first17 + check_char(first17)


resident_id_values = st.builds(
    _id18,
    st.sampled_from(sorted(PROVINCES)),
    digits(4),
    st.dates(date(1900, 1, 1), TODAY),
    digits(3),
)


def resident_id_raw_forms(v: str) -> list[str]:
    out = [v, v.lower(), f"{v[:6]} {v[6:14]} {v[14:]}", fullwidth(v.lower()), pad(v)]
    if v[6:8] == "19":
        out.append(v[:6] + v[8:17])  # legacy 15-digit form
    return out


# --- properties ---------------------------------------------------------------------------------

K = IdentifierKind
SECRET = b"property-test-secret"

CASES = {
    K.MOBILE: (mobile_values, mobile_raw_forms),
    K.FIXED_LINE: (fixed_line_values, fixed_line_raw_forms),
    K.SERVICE_NUMBER: (service_values, service_raw_forms),
    K.FOREIGN_NUMBER: (foreign_values, foreign_raw_forms),
    K.BANK_CARD: (bank_card_values, bank_card_raw_forms),
    K.PAYMENT_ACCOUNT: (payment_values, payment_raw_forms),
    K.URL: (url_values, url_raw_forms),
    K.DOMAIN: (hosts, domain_raw_forms),
    K.APP_ID: (app_id_values, app_id_raw_forms),
    K.APK_SHA256: (apk_values, apk_raw_forms),
    K.IMEI: (imei_values, imei_raw_forms),
    K.IP: (ip_values, ip_raw_forms),
    K.QQ: (qq_values, qq_raw_forms),
    K.WECHAT: (wechat_values, wechat_raw_forms),
    K.RESIDENT_ID: (resident_id_values, resident_id_raw_forms),
}


def test_every_concrete_kind_has_a_property_case() -> None:
    assert set(CASES) == set(IdentifierKind) - {K.PHONE}


@pytest.mark.parametrize("kind", list(CASES), ids=str)
@relaxed
@given(data=st.data())
def test_normalise_is_idempotent_and_raw_forms_agree(
    kind: IdentifierKind, data: st.DataObject
) -> None:
    values, forms = CASES[kind]
    v = data.draw(values, label="canonical")
    ident = normalize(kind, v, today=TODAY)
    assert ident.kind == kind
    assert ident.value == v
    again = normalize(kind, ident.value, today=TODAY)
    assert again == ident and again.value == ident.value
    digest = keyed_hash(kind, v, SECRET)
    assert len(digest) == 64
    for raw in forms(v):
        got = normalize(kind, raw, today=TODAY)
        assert got.value == v, raw
        assert keyed_hash(kind, raw, SECRET) == digest, raw
    assert keyed_hash(kind, v, b"another-secret") != digest


PHONE_CASES = [K.MOBILE, K.FIXED_LINE, K.SERVICE_NUMBER, K.FOREIGN_NUMBER]


@pytest.mark.parametrize("kind", PHONE_CASES, ids=str)
@relaxed
@given(data=st.data())
def test_phone_auto_detects_the_same_kind_and_hash(
    kind: IdentifierKind, data: st.DataObject
) -> None:
    values, forms = CASES[kind]
    v = data.draw(values)
    if kind is K.FOREIGN_NUMBER:
        raws = [r for r in forms(v) if "+" in r or r.strip().startswith("00")]
    else:
        raws = [r for r in forms(v) if r != "0" + v]
    for raw in raws:
        ident = normalize(K.PHONE, raw)
        assert (ident.kind, ident.value) == (kind, v), raw
        assert keyed_hash(K.PHONE, raw, SECRET) == keyed_hash(kind, v, SECRET)


def _aligned(masked: str, value: str) -> int:
    """Masked must be the value with some characters starred; returns how many stay visible."""
    assert len(masked) == len(value)
    for m, c in zip(masked, value, strict=True):
        assert m == "*" or m == c
    return sum(m != "*" for m in masked)


@relaxed
@given(mobile_values)
def test_mobile_mask_reveals_at_most_seven_digits(v: str) -> None:
    m = mask(K.MOBILE, v)
    assert _aligned(m, v) == 7
    assert m == v[:3] + "****" + v[7:]


@relaxed
@given(fixed_line_values)
def test_fixed_line_mask_keeps_area_code_and_last_four(v: str) -> None:
    m = mask(K.FIXED_LINE, v)
    area, _, sub = m.partition("-")
    assert v.startswith(area)
    assert _aligned(area + sub, v) == len(area) + 4


@relaxed
@given(foreign_values)
def test_foreign_mask_keeps_country_and_at_most_four(v: str) -> None:
    m = mask(K.FOREIGN_NUMBER, v)
    cc = normalize(K.FOREIGN_NUMBER, v).attrs["country_code"]
    assert m.startswith(f"+{cc} ")
    assert _aligned(m.replace(" ", ""), v) <= 1 + len(cc) + 4


@relaxed
@given(bank_card_values)
def test_bank_card_mask_keeps_first_and_last_four(v: str) -> None:
    m = mask(K.BANK_CARD, v)
    assert m == f"{v[:4]} **** **** {v[-4:]}"
    assert sum(c.isdigit() for c in m) == 8


@relaxed
@given(imei_values)
def test_imei_mask(v: str) -> None:
    assert _aligned(mask(K.IMEI, v), v) == 10


@relaxed
@given(qq_values)
def test_qq_mask(v: str) -> None:
    assert _aligned(mask(K.QQ, v), v) <= (4 if len(v) >= 7 else 2)


@relaxed
@given(wechat_values)
def test_wechat_mask(v: str) -> None:
    visible = _aligned(mask(K.WECHAT, v), v)
    assert visible <= (5 + 4 if v.startswith("wxid_") else 4)
    assert visible < len(v)


@relaxed
@given(resident_id_values)
def test_resident_id_mask_hides_birth_date(v: str) -> None:
    m = mask(K.RESIDENT_ID, v)
    assert _aligned(m, v) == 7
    assert set(m[6:14]) == {"*"}


@relaxed
@given(payment_values)
def test_payment_account_mask(v: str) -> None:
    m = mask(K.PAYMENT_ACCOUNT, v)
    if "@" in v:
        local, _, domain = v.partition("@")
        assert m == local[0] + "***@" + domain
    elif v.startswith("2088") and len(v) == 16:  # 2088 is the fixed Alipay prefix
        assert _aligned(m, v) == 8
    else:
        assert _aligned(m, v) <= 7
        assert "*" in m


@relaxed
@given(ip_values)
def test_ip_mask_hides_the_host_part(v: str) -> None:
    m = mask(K.IP, v)
    assert m.endswith("*")
    if ":" not in v:
        assert m == v.rsplit(".", 1)[0] + ".*"
    assert m != v


@relaxed
@given(url_values)
def test_url_mask_hides_query(v: str) -> None:
    m = mask(K.URL, v)
    if "?" in v:
        assert m == v.split("?")[0] + "?…"
    else:
        assert m == v


# --- invalid inputs -----------------------------------------------------------------------------


def _code(kind: IdentifierKind, raw: object) -> str:
    with pytest.raises(IdentifierError) as info:
        normalize(kind, raw, today=TODAY)
    err = info.value
    assert err.kind == kind.value
    assert str(err).startswith(f"{kind.value}: ")
    return err.code


@relaxed
@given(st.one_of(st.integers(3, 10), st.integers(16, 20)).flatmap(lambda n: digits(n, "1")))
def test_mobile_wrong_length(raw: str) -> None:
    assert _code(K.MOBILE, raw) == "bad_length"


@relaxed
@given(st.sampled_from("012"), digits(9))
def test_mobile_unallocated_prefix(second: str, rest: str) -> None:
    assert _code(K.MOBILE, "1" + second + rest) == "bad_prefix"


@relaxed
@given(st.integers(7, 8).flatmap(lambda n: digits(n, "23456789")))
def test_fixed_line_without_area_code(raw: str) -> None:
    assert _code(K.FIXED_LINE, raw) == "missing_area_code"


@relaxed
@given(digits(4).map(lambda d: "97" + d))
def test_service_number_unknown_shape(raw: str) -> None:
    assert _code(K.SERVICE_NUMBER, raw) == "bad_format"


@relaxed
@given(mobile_values)
def test_foreign_number_rejects_plus_86(v: str) -> None:
    assert _code(K.FOREIGN_NUMBER, "+86" + v) == "domestic_number"


def _break_last_digit(v: str) -> str:
    return v[:-1] + str((int(v[-1]) + 1 + (v[-1] == "9")) % 10 if v[-1].isdigit() else 0)


@relaxed
@given(bank_card_values)
def test_bank_card_bad_luhn(v: str) -> None:
    assert _code(K.BANK_CARD, v[:-1] + str((int(v[-1]) + 5) % 10)) == "bad_checksum"


@relaxed
@given(imei_values)
def test_imei_errors(v: str) -> None:
    assert _code(K.IMEI, v[:-1] + str((int(v[-1]) + 3) % 10)) == "bad_checksum"
    assert _code(K.IMEI, v[:14]) == "missing_check_digit"
    assert _code(K.IMEI, v[:14] + "01") == "imeisv"


@relaxed
@given(resident_id_values)
def test_resident_id_bad_check_character(v: str) -> None:
    wrong = next(c for c in "0123456789X" if c != v[-1])
    assert _code(K.RESIDENT_ID, v[:-1] + wrong) == "bad_checksum"


@relaxed
@given(st.dates(TODAY.replace(day=2), date(2099, 12, 31)), digits(3))
def test_resident_id_future_birth_date(born: date, seq: str) -> None:
    assert _code(K.RESIDENT_ID, _id18("11", "0105", born, seq)) == "future_date"


@relaxed
@given(qq_values)
def test_qq_leading_zero(v: str) -> None:
    assert _code(K.QQ, "0" + v[1:]) == "leading_zero"


@relaxed
@given(wechat_values, st.sampled_from("0123456789_-"))
def test_wechat_must_start_with_letter(v: str, first: str) -> None:
    assert _code(K.WECHAT, first + v[1:]) == "bad_format"


@relaxed
@given(st.integers(256, 999), st.integers(0, 255))
def test_ip_octet_out_of_range(a: int, b: int) -> None:
    assert _code(K.IP, f"{b}.{a}.1.1") == "bad_ip"


@relaxed
@given(apk_values, st.integers(1, 63))
def test_apk_wrong_length(v: str, n: int) -> None:
    assert _code(K.APK_SHA256, v[:n]) == "bad_length"


@relaxed
@given(app_id_values, st.sampled_from("0123456789_"))
def test_app_id_segment_must_start_with_letter(v: str, first: str) -> None:
    assert _code(K.APP_ID, v + "." + first + "x") == "bad_format"


@relaxed
@given(st.sampled_from(["ftp", "javascript", "file", "weixin"]), hosts)
def test_url_unsupported_scheme(scheme: str, host: str) -> None:
    assert _code(K.URL, f"{scheme}://{host}/") == "bad_scheme"


@relaxed
@given(hosts)
def test_domain_empty_label(host: str) -> None:
    assert _code(K.DOMAIN, host.replace(".", "..", 1)) == "bad_host"


@relaxed
@given(st.from_regex(r"[a-z]{3,12}", fullmatch=True))
def test_payment_account_rejects_free_text(word: str) -> None:
    assert _code(K.PAYMENT_ACCOUNT, word) == "bad_format"


# --- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(IdentifierKind), ids=str)
@settings(deadline=None, max_examples=60)
@given(raw=st.one_of(st.text(max_size=40), st.from_regex(r"[+0-9 ()\-.x转]{0,24}", fullmatch=True)))
def test_arbitrary_text_either_parses_idempotently_or_raises_identifier_error(
    kind: IdentifierKind, raw: str
) -> None:
    try:
        ident = normalize(kind, raw, today=TODAY)
    except IdentifierError as err:
        assert err.reason and err.code
        values, reasons = normalize_many(kind, [raw], today=TODAY)
        assert values == [None] and reasons == [err.reason]
        return
    assert normalize(ident.kind, ident.value, today=TODAY) == ident
    assert isinstance(ident.masked, str)
    assert normalize_many(kind, [raw], today=TODAY) == ([ident.value], [None])
