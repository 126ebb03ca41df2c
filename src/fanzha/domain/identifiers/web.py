"""URLs and domains.

Host rules: lower-case, trailing dot dropped, ideographic full stops read as dots, IDN labels stored
as punycode (A-labels) with the Unicode form in ``host_unicode``; IDNA 2008 (UTS #46) first, IDNA 2003
as a fallback so that deceptive labels browsers still resolve (emoji, mixed scripts) are kept rather
than rejected. Numeric hosts are read as browsers do (``http://3232235521/``, ``0x7f.1``) and stored
as a dotted quad. Registrable domain and public suffix come from the bundled Public Suffix List
(ICANN and private sections, so ``foo.github.io`` is its own registrable domain); nothing is
downloaded.

URL value: ``scheme://host[:port]/path[?query]`` with scheme http/https only, default ports dropped,
user-info dropped (``has_userinfo`` says it was there: ``http://bank.com@evil.com`` tricks),
fragment dropped (it never reaches the server), percent-escapes normalised (RFC 3986 §6.2.2), dot
segments removed, empty path → ``/``. Defanged forms (``hxxp://evil[.]com``) are accepted.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import quote

import idna

from fanzha.domain.identifiers._base import Invalid, prep

Parsed = tuple[str, dict[str, str]]

_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMERIC_PART = re.compile(r"0[xX][0-9a-fA-F]*|\d+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):(//)?")
_DEFANG = re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)|\{\.\}", re.IGNORECASE)
_STRAY_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/:@!$&'()*+,;=%-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PLAIN_COMPONENT = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~?-]*")  # nothing to escape or decode


@lru_cache(maxsize=1)
def _psl():  # type: ignore[no-untyped-def]
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # source=None reads the list bundled with the package (offline)


# --- hosts ------------------------------------------------------------------------------------


def _ipv4_numeric(labels: list[str]) -> str | None:
    """WHATWG IPv4 parser: None when the host is not numeric, Invalid when it is but overflows."""
    if not _NUMERIC_PART.fullmatch(labels[-1]):
        return None
    if len(labels) > 4:
        raise Invalid("bad_ip", "more than four numeric parts")
    nums = []
    for part in labels:
        if not _NUMERIC_PART.fullmatch(part):
            raise Invalid("bad_host", f"mixed numeric host {'.'.join(labels)!r}")
        if part[:2].lower() == "0x":
            nums.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part[0] == "0":
            if not set(part) <= set("01234567"):
                raise Invalid("bad_ip", f"bad octal part {part!r}")
            nums.append(int(part, 8))
        else:
            nums.append(int(part))
    last = nums.pop()
    if any(n > 255 for n in nums) or last >= 256 ** (4 - len(nums)):
        raise Invalid("bad_ip", "numeric host out of range")
    value = last
    for i, n in enumerate(nums):
        value += n << (8 * (3 - i))
    return str(ipaddress.IPv4Address(value))


def _alabel(label: str) -> tuple[str, str]:
    """One label → (A-label, U-label)."""
    if label.isascii():
        if label.startswith("xn--"):
            try:
                ulabel = idna.decode(label)
            except idna.IDNAError:
                try:
                    ulabel = label[4:].encode("ascii").decode("punycode")
                except UnicodeError as exc:
                    raise Invalid("bad_punycode", f"cannot decode {label!r}") from exc
            return label, ulabel
        if not _LABEL.fullmatch(label):
            raise Invalid("bad_host", f"invalid label {label!r}")
        return label, label
    try:
        alabel = idna.encode(label, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            alabel = label.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise Invalid("bad_punycode", f"cannot encode {label!r}") from exc
    if not alabel.startswith("xn--"):  # UTS 46 mapped it to plain ASCII
        return _alabel(alabel)
    return alabel, label


@lru_cache(maxsize=65536)
def normalize_host(host: str) -> Parsed:
    """→ (ASCII host, attrs); IPv6 literals come back in brackets."""
    if host.startswith("["):
        if not host.endswith("]"):
            raise Invalid("bad_host", "unclosed IPv6 literal")
        try:
            ip6 = ipaddress.IPv6Address(host[1:-1])
        except ValueError as exc:
            raise Invalid("bad_ip", str(exc)) from exc
        return f"[{ip6.compressed}]", {"host": f"[{ip6.compressed}]", "ip_literal": "true"}
    host = host.replace("\u3002", ".").rstrip(".").lower()
    if not host:
        raise Invalid("bad_host", "empty host")
    labels = host.split(".")
    if "" in labels:
        raise Invalid("bad_host", f"empty label in {host!r}")
    ip4 = _ipv4_numeric(labels)
    if ip4 is not None:
        attrs = {"host": ip4, "ip_literal": "true"}
        if ip4 != host:
            attrs["ip_obfuscated"] = "true"
        return ip4, attrs
    if len(labels) < 2:
        raise Invalid("no_tld", f"{host!r} has no top-level domain")
    pairs = [_alabel(lab) for lab in labels]
    ascii_host = ".".join(a for a, _ in pairs)
    if len(ascii_host) > 253:
        raise Invalid("bad_host", "host longer than 253 characters")
    if any(len(a) > 63 for a, _ in pairs):
        raise Invalid("bad_host", "label longer than 63 characters")
    tld = pairs[-1][0]
    if tld.isdigit():
        raise Invalid("bad_host", "numeric top-level domain")
    punycode = any(a.startswith("xn--") for a, _ in pairs)
    attrs = {
        "host": ascii_host,
        "tld": tld,
        "tld_known": _tld_known(tld),
        "punycode": "true" if punycode else "false",
        "ip_literal": "false",
    }
    if punycode:
        attrs["host_unicode"] = ".".join(u for _, u in pairs)
    suffix = _psl().publicsuffix(ascii_host) or tld
    attrs["public_suffix"] = suffix
    n_suffix = suffix.count(".") + 1
    if len(pairs) > n_suffix:
        attrs["registrable_domain"] = ".".join(a for a, _ in pairs[-n_suffix - 1 :])
    else:
        attrs["is_public_suffix"] = "true"
    return ascii_host, attrs


@lru_cache(maxsize=4096)
def _tld_known(tld: str) -> str:
    return "true" if _psl().publicsuffix(tld, accept_unknown=False) else "false"


# --- URLs -------------------------------------------------------------------------------------


def _pct_fix(m: re.Match[str]) -> str:
    ch = chr(int(m.group(1), 16))
    return ch if ch in _UNRESERVED else "%" + m.group(1).upper()


def _normalise_component(text: str, safe: str) -> str:
    if _PLAIN_COMPONENT.fullmatch(text):
        return text
    text = _STRAY_PCT.sub("%25", text)
    if "%" in text:
        text = _PCT.sub(_pct_fix, text)
    return quote(text, safe=safe)


def _remove_dot_segments(path: str) -> str:
    if "/." not in path:
        return path
    out: list[str] = []
    segs = path.split("/")[1:]
    for seg in segs:
        if seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    result = "/" + "/".join(out)
    if segs[-1] in (".", "..") and not result.endswith("/"):
        result += "/"
    return result


def _split_url(text: str) -> tuple[str, str, str, str, bool]:
    """→ (scheme, host[:port], path, query, had userinfo)."""
    text = text.replace("\t", "").replace("\n", "").replace("\r", "")
    if text[:4].lower() == "hxxp":
        text = "http" + text[4:]
    if "[" in text or "(" in text or "{" in text:
        text = _DEFANG.sub(".", text)
    m = _SCHEME.match(text)
    if m and (m.group(2) or not text[m.end() : m.end() + 1].isdigit()):
        scheme = m.group(1).lower()
        if scheme not in _DEFAULT_PORTS:
            raise Invalid("bad_scheme", f"only http/https, got {scheme!r}")
        rest = text[m.end() :]
        rest = rest.lstrip("/\\") if m.group(2) or rest[:1] in "/\\" else rest
    else:
        scheme = "http"
        rest = text[2:] if text.startswith("//") else text
    rest = rest.replace("\\", "/")
    cut = len(rest)
    for sep in "/?#":
        i = rest.find(sep)
        if i != -1 and i < cut:
            cut = i
    authority, tail = rest[:cut], rest[cut:]
    tail = tail.split("#", 1)[0]
    path, _, query = tail.partition("?")
    userinfo = "@" in authority
    if userinfo:
        authority = authority.rpartition("@")[2]
    return scheme, authority, path, query, userinfo


def _split_port(authority: str) -> tuple[str, int | None]:
    if authority.startswith("["):
        end = authority.find("]")
        host, rest = authority[: end + 1], authority[end + 1 :]
        if rest and not rest.startswith(":"):
            raise Invalid("bad_host", "garbage after IPv6 literal")
        port_text = rest[1:]
    else:
        host, sep, port_text = authority.rpartition(":")
        if not sep:
            return authority, None
    if not port_text:
        return host, None
    if not port_text.isdigit() or not port_text.isascii() or int(port_text) > 65535:
        raise Invalid("bad_port", f"invalid port {port_text!r}")
    return host, int(port_text)


def parse_url(raw: object) -> Parsed:
    text = prep(raw)
    if any(c.isspace() for c in text[:8]) and "://" not in text:
        raise Invalid("bad_format", "whitespace before the host")
    scheme, authority, path, query, userinfo = _split_url(text)
    host_text, port = _split_port(authority)
    host, host_attrs = normalize_host(host_text)
    attrs = dict(host_attrs)
    attrs["scheme"] = scheme
    port_part = ""
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        port_part = f":{port}"
        attrs["port"] = str(port)
    if userinfo:
        attrs["has_userinfo"] = "true"
    path = _remove_dot_segments(_normalise_component(path or "/", _PATH_SAFE))
    if not path.startswith("/"):
        path = "/" + path
    query = _normalise_component(query, _QUERY_SAFE) if query else ""
    value = f"{scheme}://{host}{port_part}{path}" + (f"?{query}" if query else "")
    return value, attrs


def mask_url(value: str) -> str:
    """Query strings often carry phone numbers and tokens: hidden."""
    head, sep, _query = value.partition("?")
    return head + ("?…" if sep else "")


def parse_domain(raw: object) -> Parsed:
    text = prep(raw)
    if "/" in text or "@" in text:
        _scheme, authority, _p, _q, _u = _split_url(text)
    else:
        authority = text
    host_text, _port = _split_port(authority)
    host, attrs = normalize_host(host_text)
    if attrs.get("ip_literal") == "true":
        raise Invalid("bad_host", "an IP address is not a domain; use kind ip")
    return host, dict(attrs)


def mask_domain(value: str) -> str:
    return value  # domains are public
