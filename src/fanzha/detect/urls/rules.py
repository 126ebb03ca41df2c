"""URL parsing and explainable risk rules (look-alikes, homographs, lures, shorteners ...).

Everything per host is cached: in real traffic a few hosts carry most URLs.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

BRANDS_FILE = Path(__file__).with_name("brands.yaml")

# Latin/digit look-alikes folded before comparing a label with brand tokens.
_HOMOGLYPH_SEQ = [("rn", "m"), ("nn", "m"), ("vv", "w"), ("cl", "d")]
_HOMOGLYPH = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "5": "s", "4": "a", "7": "t", "8": "b", "9": "g", "|": "l"}
)
# Cyrillic/Greek letters that render like Latin ones (punycode homographs).
_CONFUSABLE = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "һ": "h",
        "ӏ": "l",
        "ո": "n",
        "ν": "v",
        "ο": "o",
        "α": "a",
        "ρ": "p",
        "τ": "t",
        "κ": "k",
        "ι": "i",
        "ԛ": "q",
        "ԝ": "w",
        "ᴠ": "v",
        "ı": "i",
    }
)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_HEXINT = re.compile(r"^(?:0x[0-9a-f]+|\d{8,10})$")


@dataclass(frozen=True)
class Brand:
    name: str
    token: str
    category: str
    domains: tuple[str, ...]


@dataclass
class Lists:
    brands: list[Brand]
    official: dict[str, Brand]  # registrable domain -> brand
    whole_label_only: set[str]
    risky_tlds: set[str]
    shorteners: set[str]
    free_hosting: set[str]
    pinyin_lures: list[str]
    english_lures: list[str]
    token_re: re.Pattern[str] = field(init=False)
    token_set: frozenset[str] = field(init=False)
    delete_set: frozenset[str] = field(init=False)
    by_token: dict[str, Brand] = field(init=False)
    deletes: dict[str, str] = field(init=False)  # one-deletion neighbourhood -> token
    pinyin_re: re.Pattern[str] = field(init=False)
    english_re: re.Pattern[str] = field(init=False)
    official_re: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.by_token = {}
        for b in self.brands:
            self.by_token.setdefault(b.token, b)
        long_tokens = sorted(
            (t for t in self.by_token if t not in self.whole_label_only and len(t) >= 4),
            key=len,
            reverse=True,
        )
        self.token_re = re.compile(_alternation(long_tokens))
        domains = sorted((d for d in self.official if "." in d), key=len, reverse=True)
        self.official_re = re.compile(
            r"(?<![a-z0-9-])(?:" + "|".join(map(re.escape, domains)) + r")(?![a-z0-9-])"
        )
        self.deletes = {}
        for t in self.by_token:
            if len(t) >= 5 and not t.isdigit():
                for i in range(len(t)):
                    self.deletes.setdefault(t[:i] + t[i + 1 :], t)
        self.pinyin_re = re.compile(_alternation(self.pinyin_lures))
        self.english_re = re.compile(_alternation(self.english_lures))
        self.token_set = frozenset(self.by_token)
        self.delete_set = frozenset(self.deletes)


def _alternation(words) -> str:
    """A regex matching the longest listed word at each position, grouped by first character.

    Same matches as "|".join(longest first), but the regex engine dispatches on the first
    character instead of trying every word at every position.
    """
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        if w:
            groups.setdefault(w[0], []).append(w)
    alts = []
    for first, ws in groups.items():
        rest = [re.escape(w[1:]) for w in ws]
        alts.append(
            re.escape(first) + ("(?:" + "|".join(rest) + ")" if any(rest) else "")
            if len(ws) > 1
            else re.escape(ws[0])
        )
    return "|".join(alts)


@lru_cache(maxsize=1)
def lists() -> Lists:
    raw = yaml.safe_load(BRANDS_FILE.read_text(encoding="utf-8"))
    brands = [
        Brand(
            b["name"],
            str(b["token"]).lower(),
            b["category"],
            tuple(d.lower() for d in b["domains"]),
        )
        for b in raw["brands"]
    ]
    official: dict[str, Brand] = {}
    for b in brands:
        for d in b.domains:
            official.setdefault(d, b)
    return Lists(
        brands=brands,
        official=official,
        whole_label_only={str(x).lower() for x in raw.get("whole_label_only", [])},
        risky_tlds={str(x).lower() for x in raw.get("risky_tlds", [])},
        shorteners={str(x).lower() for x in raw.get("shorteners", [])},
        free_hosting={str(x).lower() for x in raw.get("free_hosting", [])},
        pinyin_lures=[str(x).lower() for x in raw.get("pinyin_lures", [])],
        english_lures=[str(x).lower() for x in raw.get("english_lures", [])],
    )


@lru_cache(maxsize=1)
def _psl():
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@dataclass(slots=True)
class ParsedURL:
    raw: str
    scheme: str
    host: str  # lower case, IDNA-decoded to Unicode when punycode
    ascii_host: str
    registrable: str  # e.g. icbc.com.cn; the host itself for IPs
    suffix: str
    path: str  # path + query + fragment
    is_ip: bool
    has_userinfo: bool
    port: int | None
    punycode: bool
    bare: bool  # scheme and host only


_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*\Z", re.IGNORECASE)
_UNSAFE = str.maketrans("", "", "\t\r\n")


def _split(raw: str) -> tuple[str, str, str, bool, int | None] | None:
    """(scheme, host, path+query+fragment, userinfo, port) as ``urllib.parse.urlsplit`` reads
    them, without its per-call overhead; None when the netloc is malformed (bad port, brackets)."""
    s = (raw or "").strip().strip("\"'<>")
    if "\t" in s or "\r" in s or "\n" in s:
        s = s.translate(_UNSAFE)
    i = s.find("://", 0, 12)
    if i < 0:
        scheme, rest = "http", s.lstrip("/")
    else:
        scheme, rest = s[:i], s[i + 3 :]
        if not _SCHEME.match(scheme):
            return scheme.lower(), "", "", False, None
        scheme = scheme.lower()
    cut = len(rest)
    for ch in "/?#":
        j = rest.find(ch, 0, cut)
        if j >= 0:
            cut = j
    netloc, tail = rest[:cut], rest[cut:]
    if tail:
        before, hash_, frag = tail.partition("#")
        path, q, query = before.partition("?")
        if query:
            path += "?" + query
        if frag:
            path += "#" + frag
    else:
        path = ""
    userinfo = "@" in netloc
    hostport = netloc.rpartition("@")[2] if userinfo else netloc
    if "[" in netloc or "]" in netloc:
        if netloc.count("[") != netloc.count("]") or "[" not in hostport:
            return None
        host, _, after = hostport.partition("[")[2].partition("]")
        port_s = after.partition(":")[2]
    else:
        host, _, port_s = hostport.partition(":")
    port = None
    if port_s:
        if not port_s.isascii() or not port_s.isdigit() or int(port_s) > 65535:
            return None
        port = int(port_s)
    host = host.partition("%")[0] if "%" in host else host
    return scheme, host.rstrip(".").lower(), path, userinfo, port


def parse_url(raw: str) -> ParsedURL:
    parts = _split(raw)
    if parts is None:
        return _host_info("", "http", "", raw, False, None)
    scheme, host, path, userinfo, port = parts
    return _host_info(host, scheme, path, raw, userinfo, port)


def _host_info(
    host: str, scheme: str, path: str, raw: str, userinfo: bool, port: int | None
) -> ParsedURL:
    ascii_host, uni_host, puny, is_ip, registrable, suffix = host_facts(host)
    return ParsedURL(
        raw=raw,
        scheme=scheme,
        host=uni_host,
        ascii_host=ascii_host,
        registrable=registrable,
        suffix=suffix,
        path=path,
        is_ip=is_ip,
        has_userinfo=userinfo,
        port=port,
        punycode=puny,
        bare=path.strip("/") == "",
    )


@lru_cache(maxsize=131072)
def host_facts(host: str) -> tuple[str, str, bool, bool, str, str]:
    """(ascii host, unicode host, punycode, is IP, registrable domain, public suffix) of a host."""
    ascii_host, uni_host, puny = _idna(host)
    is_ip = _is_ip(ascii_host)
    if is_ip:
        registrable, suffix = ascii_host, ""
    else:
        registrable, suffix = _registrable(ascii_host)
    return ascii_host, uni_host, puny, is_ip, registrable, suffix


@lru_cache(maxsize=65536)
def _idna(host: str) -> tuple[str, str, bool]:
    if host.isascii():
        if "xn--" not in host:
            return host, host, False
        try:
            import idna

            return host, idna.decode(host), True
        except Exception:
            return host, host, True
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii"), host, True
    except Exception:
        try:
            return host.encode("idna").decode("ascii"), host, True
        except Exception:
            return host, host, True


def _is_ip(host: str) -> bool:
    if not host:
        return False
    if _IPV4.match(host) or _HEXINT.match(host):
        return True
    if ":" in host:
        try:
            ipaddress.ip_address(host.strip("[]"))
            return True
        except ValueError:
            return False
    return False


@lru_cache(maxsize=65536)
def _registrable(host: str) -> tuple[str, str]:
    if not host:
        return "", ""
    psl = _psl()
    labels = host.split(".")
    if "" in labels:  # malformed: let the library decide
        suffix = psl.publicsuffix(host) or host.rsplit(".", 1)[-1]
        return psl.privatesuffix(host) or host, suffix
    n = psl._countpublic(labels)  # one walk gives both the public and the private suffix
    if not n:
        return host, labels[-1]
    suffix = ".".join(labels[-n:])
    return (".".join(labels[-n - 1 :]) if len(labels) > n else host), suffix


def entropy(s: str) -> float:
    if not s:
        return 0.0
    n = len(s)
    # dict.fromkeys keeps first-occurrence order, as Counter did: the same sum, bit for bit
    return -sum(c / n * math.log2(c / n) for c in map(s.count, dict.fromkeys(s)))


@dataclass(frozen=True)
class Reason:
    code: str
    text: str  # Chinese, for users
    weight: float  # contribution to the rule score in [0, 1]


def _fold(label: str) -> str:
    s = label.translate(_CONFUSABLE).translate(_HOMOGLYPH)
    for a, b in _HOMOGLYPH_SEQ:
        s = s.replace(a, b)
    return s


def official_brand(p: ParsedURL) -> Brand | None:
    L = lists()
    b = L.official.get(p.registrable)
    if b is None and p.suffix.endswith("gov.cn"):
        return L.official.get("gov.cn")
    return b


_DASH = re.compile(r"[-_]")
_DIGITS = re.compile(r"\d")


_CLEAN_LABELS: set[str] = set()
_NO_BRAND: tuple[tuple[str, ...], tuple[str, ...], str | None] = ((), (), None)


def known_clean_labels(labels: list[str]) -> None:
    """Labels that a batch prefilter proved free of brand tokens and look-alikes (see ``batch``):
    ``_label_scan`` answers them without scanning. Bounded, as any cache."""
    if len(_CLEAN_LABELS) > 500_000:
        _CLEAN_LABELS.clear()
    _CLEAN_LABELS.update(labels)


@lru_cache(maxsize=131072)
def _label_scan(label: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """Brand tokens equal to the label or one of its dash-separated parts, brand tokens inside it,
    and the brand token it imitates (homoglyphs, one typo). Labels repeat across hosts: cached."""
    if label in _CLEAN_LABELS:
        return _NO_BRAND
    L = lists()
    parts = [label] + [x for x in _DASH.split(label) if x and x != label]
    exact = tuple(part for part in parts if part in L.by_token)
    inside = tuple(m.group(0) for m in L.token_re.finditer(label))
    cand = None
    for part in parts:
        for folded in {_fold(part), _fold(part.replace("1", "i"))}:
            if folded != part and folded in L.by_token:
                cand = folded
    if cand is None and len(label) >= 5 and label not in L.by_token:
        dels = [label[:i] + label[i + 1 :] for i in range(len(label))]
        if len(label) - 1 >= 5 and not L.token_set.isdisjoint(dels):
            for d in dels:  # one deletion from label hits a token: insertion typo
                if d in L.by_token:
                    cand = d
                    break
        if cand is None:
            cand = L.deletes.get(label)  # one deletion from token == label: omission typo
        if cand is None and not L.delete_set.isdisjoint(dels):
            for d in dels:
                t = L.deletes.get(d)  # substitution / swap
                if t is not None and t != label and len(t) == len(label):
                    cand = t
                    break
    return exact, inside, cand


@lru_cache(maxsize=16384)
def _reason(code: str, text: str, weight: float) -> Reason:
    """A :class:`Reason` (frozen, compared by value): the same texts recur across hosts and
    paths, and a cache hit is cheaper than a frozen dataclass's construction."""
    return Reason(code, text, weight)


@lru_cache(maxsize=65536)
def host_reasons(
    host: str, ascii_host: str, registrable: str, suffix: str, is_ip: bool, punycode: bool
) -> tuple[Reason, ...]:
    return host_reasons_hinted(host, ascii_host, registrable, suffix, is_ip, punycode)


def host_reasons_hinted(
    host: str,
    ascii_host: str,
    registrable: str,
    suffix: str,
    is_ip: bool,
    punycode: bool,
    pinyin: bool = True,
    english: bool = True,
    random: bool = True,
) -> tuple[Reason, ...]:
    """:func:`host_reasons` (uncached). ``pinyin``, ``english``, ``random`` False: the caller
    knows that the lure-pinyin, lure-word or random-label rule cannot fire on this host (a
    batch prefilter that is exact or a superset for it), so its check is skipped."""
    L = lists()
    out: list[Reason] = []
    if not host:
        return (_reason("no_host", "无法解析主机名", 0.3),)
    if is_ip:
        out.append(_reason("ip_host", "使用 IP 地址而非域名", 0.55))
        return tuple(out)
    off = L.official.get(registrable) or (
        L.official.get("gov.cn") if suffix.endswith("gov.cn") else None
    )
    if off is not None:
        return ()
    tld = suffix.rsplit(".", 1)[-1] if suffix else ""
    reg_label = (
        registrable[: -len(suffix) - 1]
        if suffix and registrable.endswith("." + suffix)
        else registrable
    )
    sub = (
        host[: -len(registrable)].rstrip(".") if registrable and host.endswith(registrable) else ""
    )
    if registrable in L.shorteners or host in L.shorteners:
        out.append(_reason("shortener", f"短链接服务（{registrable}），真实去向被隐藏", 0.35))
    if registrable in L.free_hosting or suffix in L.free_hosting:
        out.append(
            _reason(
                "free_hosting",
                f"免费建站/动态域名（{registrable if registrable in L.free_hosting else suffix}）",
                0.35,
            )
        )
    if tld in L.risky_tlds or suffix in L.risky_tlds:
        out.append(_reason("risky_tld", f"高风险顶级域 .{tld}", 0.3))
    if punycode:
        folded = _fold(host)
        w = 0.4
        txt = "国际化域名（punycode）"
        for label in folded.split("."):
            if (
                label in L.by_token
                and label not in L.whole_label_only
                or label in {t for t in L.by_token if len(t) >= 3}
            ):
                w = 0.9
                txt = f"同形字仿冒域名：{host} 看起来像 {label}"
                break
        out.append(_reason("punycode", txt, w))
    # brand tokens: exact label, inside labels, or look-alike of a label
    labels = [x for x in (sub.split(".") if sub else []) + [reg_label] if x]
    seen_brand: set[str] = set()
    for label in labels:
        if label in _CLEAN_LABELS:  # what _label_scan answers for it, without the call
            continue
        exact, inside, cand = _label_scan(label)
        for part in exact:
            if part not in seen_brand:
                seen_brand.add(part)
                b = L.by_token[part]
                where = "子域名" if label != reg_label else "域名"
                out.append(
                    _reason(
                        "brand_in_host",
                        f"{where}含品牌名 {part}（{b.name}），但不是其官方域名",
                        0.75,
                    )
                )
        for t in inside:
            if t not in seen_brand:
                seen_brand.add(t)
                b = L.by_token[t]
                out.append(
                    _reason("brand_in_host", f"域名含品牌名 {t}（{b.name}），但不是其官方域名", 0.7)
                )
        if cand and cand not in seen_brand:
            seen_brand.add(cand)
            b = L.by_token[cand]
            out.append(_reason("lookalike", f"仿冒官方域名：{label} 近似 {cand}（{b.name}）", 0.85))
    if pinyin and (m := L.pinyin_re.search(host.replace("-", ""))):
        out.append(_reason("pinyin_lure", f"域名含诱导性拼音 {m.group(0)}", 0.45))
    if english and (m := L.english_re.search(host)):
        out.append(_reason("lure_word", f"域名含诱导词 {m.group(0)}", 0.3))
    if random:
        pieces = [x for lb in labels for x in _DASH.split(lb) if x]
        longest = max(pieces, key=len) if pieces else ""
        if (
            len(longest) >= 12
            and len(set(longest)) >= 12  # fewer distinct characters cannot reach 3.5 bits
            and entropy(longest) >= 3.5
            or len(longest) >= 8
            and len(_DIGITS.findall(longest)) >= 4
            and any(c.isalpha() for c in longest)
        ):
            out.append(_reason("random_label", f"随机字符串域名标签 {longest[:30]}", 0.3))
    if len(labels) >= 5:
        out.append(_reason("deep_subdomain", f"子域名层级过多（{len(labels)} 级）", 0.2))
    if host.count("-") >= 3:
        out.append(_reason("many_hyphens", "域名含多个连字符", 0.15))
    return tuple(out)


def path_reasons(p: ParsedURL) -> list[Reason]:
    L = lists()
    out: list[Reason] = []
    if p.has_userinfo:
        out.append(_reason("userinfo", "URL 含 @，真实主机被隐藏", 0.5))
    if p.port not in (None, 80, 443):
        out.append(_reason("port", f"非标准端口 {p.port}", 0.2))
    path = p.path.lower()
    if path and official_brand(p) is None:
        m = L.official_re.search(path)
        if m:
            b = L.official[m.group(0)]
            out.append(_reason("brand_in_path", f"路径含官方域名 {m.group(0)}（{b.name}）", 0.35))
        elif m := L.token_re.search(path):
            b = L.by_token[m.group(0)]
            out.append(_reason("brand_in_path", f"路径含品牌名 {m.group(0)}（{b.name}）", 0.35))
        m = L.pinyin_re.search(path)
        if m:
            out.append(_reason("pinyin_lure_path", f"路径含诱导性拼音 {m.group(0)}", 0.25))
        if _REDIRECT.search(path, 1):
            out.append(_reason("redirect", "路径中嵌有另一个网址（跳转）", 0.25))
        if path.endswith(".apk"):
            out.append(_reason("apk", "直接下载安卓安装包（.apk）", 0.5))
    return out


_REDIRECT = re.compile(r"https?:/|//|%2f%2f")


@lru_cache(maxsize=1)
def _path_prefilter() -> str:
    """One RE2 pattern (no look-arounds) matching every path on which a path rule could fire."""
    L = lists()
    # an official domain that contains a brand token is already covered by token_re's part
    domains = sorted(
        (d for d in L.official if "." in d and not L.token_re.search(d)), key=len, reverse=True
    )
    alts = ["|".join(map(re.escape, domains))]
    alts += [L.token_re.pattern, L.pinyin_re.pattern, r"https?:/", "//", "%2f%2f", r"\.apk$"]
    return "|".join(f"(?:{a})" for a in alts if a)


@lru_cache(maxsize=1)
def _path_prefilter_re() -> re.Pattern[str]:
    return re.compile(_path_prefilter())


def path_reasons_many(parsed: list[ParsedURL], official: list[bool]) -> list[list[Reason]]:
    """``path_reasons`` for a batch: one vectorised RE2 pass picks the few URLs that need it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out: list[list[Reason]] = [[] for _ in parsed]
    paths = [
        p.path.lower() if p.path and not off else ""
        for p, off in zip(parsed, official, strict=True)
    ]
    if len(paths) < 256:  # RE2 compiles the pattern per call: worth it only for big batches
        rx = _path_prefilter_re()
        hit = [bool(x) and rx.search(x) is not None for x in paths]
    else:
        hit = (
            pc.match_substring_regex(pa.array(paths, pa.string()), _path_prefilter())
            .to_numpy(zero_copy_only=False)
            .tolist()
        )
    for i, p in enumerate(parsed):
        if hit[i] or p.has_userinfo or p.port is not None:
            out[i] = path_reasons(p)
    return out


def rule_reasons(p: ParsedURL) -> list[Reason]:
    return list(
        host_reasons(p.host, p.ascii_host, p.registrable, p.suffix, p.is_ip, p.punycode)
    ) + path_reasons(p)


def rule_score(reasons: Sequence[Reason]) -> float:
    s = 1.0
    for r in reasons:
        s *= 1.0 - r.weight
    return 1.0 - s
