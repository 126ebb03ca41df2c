"""IP addresses (IPv4/IPv6) via the standard ``ipaddress`` module.

Accepted extras: IPv6 in brackets, a trailing ``:port`` (dropped, kept in ``port``), IPv4-mapped
IPv6 (``::ffff:1.2.3.4`` → ``1.2.3.4``). IPv4 with leading zeros is rejected (octal ambiguity).
"""

from __future__ import annotations

import ipaddress

from fanzha.domain.identifiers._base import Invalid, prep


def _scope(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if ip.is_loopback:
        return "loopback"
    if ip.is_multicast:
        return "multicast"
    if ip.is_link_local:
        return "link_local"
    if ip.is_private:
        return "private"
    if ip.is_reserved or ip.is_unspecified:
        return "reserved"
    if ip.is_global:
        return "public"
    return "special"


def parse_ip(raw: object) -> tuple[str, dict[str, str]]:
    text = prep(raw)
    port = ""
    if text.startswith("["):
        end = text.find("]")
        if end == -1:
            raise Invalid("bad_ip", "unclosed bracket")
        text, rest = text[1:end], text[end + 1 :]
        if rest:
            if not (rest.startswith(":") and rest[1:].isdigit()):
                raise Invalid("bad_ip", "garbage after ]")
            port = rest[1:]
    elif text.count(":") == 1:
        text, _, port = text.partition(":")
        if not port.isdigit():
            raise Invalid("bad_port", f"invalid port {port!r}")
    if port and int(port) > 65535:
        raise Invalid("bad_port", f"invalid port {port!r}")
    if "%" in text:
        raise Invalid("bad_ip", "zone ids are not identifiers")
    try:
        ip = ipaddress.ip_address(text)
    except ValueError as exc:
        raise Invalid("bad_ip", str(exc)) from exc
    attrs: dict[str, str] = {}
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
        attrs["mapped_from_ipv6"] = "true"
    attrs["version"] = str(ip.version)
    scope = _scope(ip)
    attrs["scope"] = scope
    attrs["private"] = "true" if scope in ("private", "loopback", "link_local") else "false"
    attrs["reserved"] = "true" if scope in ("reserved", "multicast", "special") else "false"
    if port:
        attrs["port"] = port
    return ip.compressed, attrs


def mask_ip(value: str) -> str:
    """IPv4 keeps the /24 (``203.0.113.*``), IPv6 the /48 (``2001:db8:1:*``)."""
    if ":" not in value:
        return value.rsplit(".", 1)[0] + ".*"
    full = ipaddress.IPv6Address(value).exploded.split(":")
    return ":".join(h.lstrip("0") or "0" for h in full[:3]) + ":*"
