"""Example tests for the identifier vocabulary: number plans, check digits, URLs, the public API."""

from __future__ import annotations

import hashlib
import hmac
import socket
from datetime import date

import pytest

from fanzha.domain.identifiers import (
    Identifier,
    IdentifierError,
    IdentifierKind,
    detect_kind,
    keyed_hash,
    mask,
    normalize,
    normalize_many,
    validate,
)
from fanzha.domain.identifiers._phone_tables import COUNTRY_CODES, HIGH_RISK_ORIGIN_CODES

K = IdentifierKind


def code_of(kind: str, raw: object, **kw: object) -> str:
    with pytest.raises(IdentifierError) as info:
        normalize(kind, raw, **kw)  # type: ignore[arg-type]
    return info.value.code


# --- mobile -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "operator", "number_kind", "host"),
    [
        ("13812345678", "china_mobile", "personal", None),
        ("13012345678", "china_unicom", "personal", None),
        ("13312345678", "china_telecom", "personal", None),
        ("19212345678", "china_broadnet", "personal", None),
        ("19912345678", "china_telecom", "personal", None),
        ("17001234567", "mvno", "virtual", "china_telecom"),
        ("17031234567", "mvno", "virtual", "china_mobile"),
        ("17041234567", "mvno", "virtual", "china_unicom"),
        ("17112345678", "mvno", "virtual", "china_unicom"),
        ("16212345678", "mvno", "virtual", "china_telecom"),
        ("16512345678", "mvno", "virtual", "china_mobile"),
        ("16712345678", "mvno", "virtual", "china_unicom"),
        ("14612345678", "china_unicom", "iot", None),
        ("14812345678", "china_mobile", "iot", None),
        ("14712345678", "china_mobile", "data", None),
        ("1440123456789", "china_mobile", "iot", None),
        ("1064812345678", "china_mobile", "iot", None),
        ("13491234567", "china_satellite", "satellite", "china_telecom"),
    ],
)
def test_mobile_operator_and_number_kind(
    raw: str, operator: str, number_kind: str, host: str | None
) -> None:
    ident = normalize("mobile", raw)
    assert ident.attrs["operator"] == operator
    assert ident.attrs["number_kind"] == number_kind
    assert ident.attrs.get("host_operator") == host


def test_mobile_error_message_is_bilingual() -> None:
    with pytest.raises(IdentifierError) as info:
        normalize("mobile", "1381234567")
    err = info.value
    assert str(err) == "mobile: 号码位数不对 (expected 11 digits, got 10)"
    assert (err.kind, err.code) == ("mobile", "bad_length")
    assert err.reason == "号码位数不对 (expected 11 digits, got 10)"
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("raw", ["15412345678", "19412345678", "12012345678", "14012345678"])
def test_unallocated_mobile_prefixes(raw: str) -> None:
    assert code_of("mobile", raw) == "bad_prefix"


def test_mobile_rejects_foreign_and_letters() -> None:
    assert code_of("mobile", "+85512345678") == "not_phone"
    assert code_of("mobile", "138abcd5678") == "bad_chars"
    assert code_of("mobile", "   ") == "empty"
    assert code_of("mobile", None) == "not_text"
    assert normalize("mobile", 13812345678).value == "13812345678"


# --- fixed line, service, foreign ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "area", "city", "masked"),
    [
        ("010-87654321", "01087654321", "010", "北京", "010-****4321"),
        ("(0755)2345-6789", "075523456789", "0755", "深圳", "0755-****6789"),
        ("+86 571 8888 6666", "057188886666", "0571", "杭州", "0571-****6666"),
        ("0898-6543210", "08986543210", "0898", "海南", "0898-***3210"),
        ("021 6123 4567 转 8001", "02161234567", "021", "上海", "021-****4567"),
    ],
)
def test_fixed_line_area_codes(raw: str, value: str, area: str, city: str, masked: str) -> None:
    ident = normalize("fixed_line", raw)
    assert (ident.value, ident.attrs["area_code"], ident.attrs["city"]) == (value, area, city)
    assert ident.masked == masked


def test_fixed_line_errors() -> None:
    assert code_of("fixed_line", "02612345678") == "bad_area_code"
    assert code_of("fixed_line", "010-1234567") == "bad_length"
    assert code_of("fixed_line", "0755-02345678") == "bad_subscriber"
    assert code_of("fixed_line", "87654321") == "missing_area_code"
    assert normalize("fixed_line", "021-61234567 转 8001").attrs["extension"] == "8001"


@pytest.mark.parametrize(
    ("raw", "stype", "name"),
    [
        ("96110", "local_96", "反诈预警劝阻专线"),
        ("12381", "short_code", "涉诈预警劝阻短信"),
        ("10086", "short_code", "中国移动客服"),
        ("110", "emergency", "报警电话"),
        ("95588", "hotline_95", "工商银行"),
        ("400-810-8888", "shared_cost_400", None),
        ("800 820 8820", "toll_free_800", None),
        ("1069012345678", "sms_port", None),
    ],
)
def test_service_numbers(raw: str, stype: str, name: str | None) -> None:
    ident = normalize("service_number", raw)
    assert ident.attrs["service_type"] == stype
    assert ident.attrs.get("name") == name
    assert ident.masked == ident.value  # public numbers are shown in full
    assert normalize("phone", raw).kind is K.SERVICE_NUMBER


def test_foreign_numbers_and_country_table() -> None:
    kh = normalize("foreign_number", "+855 12 345 678")
    assert kh.value == "+85512345678"
    assert kh.attrs == {
        "country_code": "855",
        "country": "KH",
        "country_name": "柬埔寨",
        "high_risk_origin": "true",
    }
    assert normalize("phone", "001 415 555 0100").attrs["country_code"] == "1"
    assert normalize("phone", "+44 20 7946 0958").attrs["high_risk_origin"] == "false"
    assert code_of("foreign_number", "+86 138 1234 5678") == "domestic_number"
    assert code_of("foreign_number", "+280 1234567") == "unknown_country"
    assert code_of("foreign_number", "+855 123") == "bad_length"
    codes = sorted(COUNTRY_CODES)
    for a in codes:  # prefix-free, so the first match is the only match
        assert not any(b != a and b.startswith(a) for b in codes), a
    assert set(COUNTRY_CODES) >= HIGH_RISK_ORIGIN_CODES


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("+86 138 1234 5678", K.MOBILE),
        ("010-87654321", K.FIXED_LINE),
        ("+86 10 8765 4321", K.FIXED_LINE),
        ("95588", K.SERVICE_NUMBER),
        ("+855 12 345 678", K.FOREIGN_NUMBER),
        ("00852 9123 4567", K.FOREIGN_NUMBER),
        ("0086 852 1234 5678", K.FIXED_LINE),  # +86 then area code 0852 (遵义),
    ],
)
def test_phone_auto_detection(raw: str, kind: IdentifierKind) -> None:
    ident = normalize("phone", raw)
    assert ident.kind is kind
    assert keyed_hash("phone", raw, b"s") == keyed_hash(kind, raw, b"s")


def test_phone_rejects_local_numbers() -> None:
    assert code_of("phone", "87654321") == "missing_area_code"


# --- check digits -------------------------------------------------------------------------------


def test_bank_card_luhn_and_bin() -> None:
    assert normalize("bank_card", "4111 1111 1111 1111").attrs["network"] == "visa"
    assert code_of("bank_card", "4111 1111 1111 1112") == "bad_checksum"
    assert code_of("bank_card", "0000000000000") == "leading_zero"
    assert code_of("bank_card", "411111111111") == "bad_length"
    # 622202 is ICBC; complete the number with its Luhn digit.
    from fanzha.domain.identifiers._base import luhn_check_digit

    payload = "622202000012345678"
    card = payload + luhn_check_digit(payload)
    ident = normalize("bank_card", card)
    assert ident.attrs["bank_name"] == "工商银行"
    assert ident.attrs["card_length"] == "19"
    assert ident.masked == f"6222 **** **** {card[-4:]}"


def test_imei_check_digit() -> None:
    ident = normalize("imei", "49-015420-323751-8")
    assert ident.value == "490154203237518"
    assert ident.attrs["tac"] == "49015420"
    assert ident.masked == "49015420*****18"
    assert code_of("imei", "490154203237517") == "bad_checksum"
    assert code_of("imei", "49015420323751") == "missing_check_digit"
    assert code_of("imei", "4901542032375101") == "imeisv"


def test_resident_id_check_character_and_facts() -> None:
    ident = normalize("resident_id", "11010519491231002x")
    assert ident.value == "11010519491231002X"
    assert ident.attrs == {
        "region_code": "110105",
        "province_code": "11",
        "province": "北京市",
        "birth_date": "1949-12-31",
        "sex": "female",
    }
    assert ident.masked == "110***********002X"
    assert code_of("resident_id", "110105194912310021") == "bad_checksum"
    assert code_of("resident_id", "990105194912310021") == "bad_region"
    assert code_of("resident_id", "110105190002290011") == "bad_date"  # 1900 is not a leap year
    assert code_of("resident_id", "1101051949123100") == "bad_length"


def test_resident_id_legacy_and_today() -> None:
    legacy = normalize("resident_id", "110105491231002")
    assert legacy.value == "11010519491231002X"
    assert legacy.attrs["legacy_15"] == "true"
    from fanzha.domain.identifiers.resident_id import check_char

    body = "44030620240601123"
    rid = body + check_char(body)
    assert normalize("resident_id", rid, today=date(2024, 6, 1)).attrs["sex"] == "male"
    assert code_of("resident_id", rid, today=date(2024, 5, 31)) == "future_date"


# --- web ------------------------------------------------------------------------------------


def test_url_normalisation() -> None:
    ident = normalize("url", "HTTPS://Www.例子.CN:443/a/./b/../c%7e?x=%7e1#frag")
    assert ident.value == "https://www.xn--fsqu00a.cn/a/c~?x=~1"
    assert ident.attrs["punycode"] == "true"
    assert ident.attrs["host_unicode"] == "www.例子.cn"
    assert ident.attrs["registrable_domain"] == "xn--fsqu00a.cn"
    assert ident.masked == "https://www.xn--fsqu00a.cn/a/c~?…"
    assert normalize("url", "https://www.xn--fsqu00a.cn/a/c~?x=~1") == ident
    assert normalize("url", "http://example.com:8080").value == "http://example.com:8080/"
    assert normalize("url", "example.com/路径").value == "http://example.com/%E8%B7%AF%E5%BE%84"


def test_url_phishing_shapes() -> None:
    trick = normalize("url", "http://www.icbc.com.cn@evil.top/login")
    assert trick.value == "http://evil.top/login"
    assert trick.attrs["has_userinfo"] == "true"
    numeric = normalize("url", "http://3232235521/x")
    assert numeric.value == "http://192.168.0.1/x"
    assert numeric.attrs["ip_literal"] == "true" and numeric.attrs["ip_obfuscated"] == "true"
    assert normalize("url", "hxxps://evil[.]com/a").value == "https://evil.com/a"
    assert normalize("url", "http://[2001:DB8::1]:80/").value == "http://[2001:db8::1]/"
    assert code_of("url", "javascript:alert(1)") == "bad_scheme"
    assert code_of("url", "http://localhost/") == "no_tld"
    assert code_of("url", "http://example.com:99999/") == "bad_port"


def test_domain_registrable_and_suffixes() -> None:
    assert normalize("domain", "a.b.example.co.uk").attrs["registrable_domain"] == "example.co.uk"
    assert normalize("domain", "shop.taobao.com.cn").attrs["public_suffix"] == "com.cn"
    assert normalize("domain", "foo.github.io").attrs["registrable_domain"] == "foo.github.io"
    assert normalize("domain", "例子。中国").value == "xn--fsqu00a.xn--fiqs8s"
    assert normalize("domain", "xn--fsqu00a.xn--fiqs8s").attrs["host_unicode"] == "例子.中国"
    assert normalize("domain", "evil.notarealtld").attrs["tld_known"] == "false"
    assert normalize("domain", "https://Login.Example.com/path").value == "login.example.com"
    assert code_of("domain", "1.2.3.4") == "bad_host"
    assert code_of("domain", "bad_-.com") == "bad_host"


def test_public_suffix_list_is_read_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    from fanzha.domain.identifiers import web

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the identifier package must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    web._psl.cache_clear()
    web.normalize_host.cache_clear()
    assert normalize("domain", "www.gov.cn").attrs["registrable_domain"] == "www.gov.cn"


# --- apps, ip, social, payment ----------------------------------------------------------------


def test_app_ids_and_apk_digests() -> None:
    assert normalize("app_id", "com.tencent.mm").attrs["app_name"] == "微信"
    link = "https://play.google.com/store/apps/details?id=com.hicorenational.antifraud"
    assert normalize("app_id", link).attrs["app_name"] == "国家反诈中心"
    assert code_of("app_id", "singleword") == "bad_format"
    assert code_of("app_id", "com.1example") == "bad_format"
    digest = hashlib.sha256(b"apk").hexdigest()
    assert normalize("apk_sha256", digest.upper()).value == digest
    assert code_of("apk_sha256", "g" * 64) == "bad_chars"


@pytest.mark.parametrize(
    ("raw", "value", "scope", "masked"),
    [
        ("10.1.2.3", "10.1.2.3", "private", "10.1.2.*"),
        ("8.8.8.8:53", "8.8.8.8", "public", "8.8.8.*"),
        ("127.0.0.1", "127.0.0.1", "loopback", "127.0.0.*"),
        ("::ffff:203.0.113.9", "203.0.113.9", "private", "203.0.113.*"),
        ("[2400:3200::1]", "2400:3200::1", "public", "2400:3200:0:*"),
    ],
)
def test_ip_addresses(raw: str, value: str, scope: str, masked: str) -> None:
    ident = normalize("ip", raw)
    assert (ident.value, ident.attrs["scope"], ident.masked) == (value, scope, masked)


def test_ip_errors() -> None:
    assert code_of("ip", "010.1.1.1") == "bad_ip"
    assert code_of("ip", "fe80::1%eth0") == "bad_ip"
    assert code_of("ip", "1.2.3.4:70000") == "bad_port"


def test_social_accounts() -> None:
    assert normalize("qq", "12345678@qq.com").value == "12345678"
    assert normalize("qq", "QQ：10001").masked == "1***1"
    assert code_of("qq", "1234") == "bad_length"
    assert code_of("qq", "123456789012") == "bad_length"
    assert normalize("wechat", "微信号：Fraud_Boss-01").value == "fraud_boss-01"
    assert normalize("wechat", "wxid_abcdefgh1234").attrs["id_type"] == "system"
    assert code_of("wechat", "abc.d") == "bad_length"
    assert code_of("wechat", "abcdef.ghi") == "bad_chars"


def test_payment_accounts() -> None:
    a = normalize("payment_account", "支付宝：+86 138-1234-5678")
    b = normalize("payment_account", "13812345678")
    assert a == b and a.attrs["platform"] == "alipay" and "platform" not in b.attrs
    assert normalize("payment_account", "2088102122524333").attrs["platform"] == "alipay"
    assert normalize("payment_account", "1230000109").attrs["account_type"] == "wechatpay_mch_id"
    assert normalize("payment_account", "Li.Lei@Example.COM").masked == "l***@example.com"
    assert code_of("payment_account", "paypal:foo@bar.com") == "bad_platform"
    assert code_of("payment_account", "foo@") == "bad_format"


# --- API --------------------------------------------------------------------------------------


def test_keyed_hash_is_hmac_over_kind_and_value() -> None:
    secret = b"k"
    expected = hmac.new(secret, b"mobile:13812345678", hashlib.sha256).hexdigest()
    assert keyed_hash("mobile", "+86 138 1234 5678", secret) == expected
    assert keyed_hash("qq", "13812345678", secret) != expected
    assert normalize("mobile", "13812345678").keyed_hash(secret) == expected


def test_identity_repr_and_validation() -> None:
    a = normalize("mobile", "13812345678")
    assert a == Identifier(K.MOBILE, "13812345678")  # attrs take no part in identity
    assert len({a, normalize("mobile", "+8613812345678")}) == 1
    assert "13812345678" not in repr(a) and "138****5678" in repr(a)
    assert validate("imei", "490154203237518") is None
    with pytest.raises(IdentifierError):
        validate("imei", "490154203237517")
    assert mask("mobile", "+86 138 1234 5678") == "138****5678"
    with pytest.raises(IdentifierError) as info:
        normalize("passport", "E12345678")
    assert info.value.code == "unknown_kind"


def test_normalize_many_is_aligned_and_never_raises() -> None:
    values, errors = normalize_many(
        "mobile", ["+86 138 1234 5678", "123", None, "０１３８１２３４５６７８"]
    )
    assert values == ["13812345678", None, None, "13812345678"]
    assert errors[0] is None and errors[3] is None
    assert errors[1] == "号码位数不对 (expected 11 digits, got 3)"
    assert errors[2] is not None and errors[2].startswith("不是文本")
    phones, _ = normalize_many("phone", ["010-87654321", "+855 12 345 678"])
    assert phones == ["01087654321", "+85512345678"]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("13812345678", K.MOBILE),
        ("010-87654321", K.FIXED_LINE),
        ("96110", K.SERVICE_NUMBER),
        ("+855 12 345 678", K.FOREIGN_NUMBER),
        ("6222 0200 0012 3456 780", None),  # Luhn-invalid 19 digits: nothing fits
        ("4111111111111111", K.BANK_CARD),
        ("2088102122524333", K.PAYMENT_ACCOUNT),
        ("someone@example.com", K.PAYMENT_ACCOUNT),
        ("https://evil.top/login", K.URL),
        ("www.evil.top", K.URL),
        ("evil.top", K.DOMAIN),
        ("cn.bing.com", K.DOMAIN),
        ("com.tencent.mm", K.APP_ID),
        ("com.eg.android.AlipayGphone", K.APP_ID),
        (hashlib.sha256(b"x").hexdigest(), K.APK_SHA256),
        ("490154203237518", K.IMEI),
        ("192.168.1.1", K.IP),
        ("2400:3200::1", K.IP),
        ("12345678", K.QQ),
        ("12345678@qq.com", K.QQ),
        ("fraud_boss01", K.WECHAT),
        ("11010519491231002X", K.RESIDENT_ID),
        ("你好", None),
        ("", None),
    ],
)
def test_detect_kind(raw: str, kind: IdentifierKind | None) -> None:
    assert detect_kind(raw) == kind


def test_errors_and_identifiers_survive_pickling() -> None:
    import pickle

    ident = normalize("phone", "tel:+86 138 1234 5678")
    back = pickle.loads(pickle.dumps(ident))
    assert back == ident and back.attrs == ident.attrs and back.kind is K.MOBILE
    with pytest.raises(IdentifierError) as info:
        normalize("qq", "0123456")
    err = pickle.loads(pickle.dumps(info.value))
    assert (err.kind, err.code, err.reason) == ("qq", "leading_zero", info.value.reason)
    assert str(IdentifierError("wechat", "账号已注销")) == "wechat: 账号已注销"
