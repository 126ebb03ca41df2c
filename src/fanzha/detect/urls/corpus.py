"""Generated URL material from ``brands.yaml``: official and ordinary sites vs look-alikes.

The public phishing sets carry no licence, so the shipped URL model learns from this generator
(written for the project) plus the rules; ``fanzha url train`` can train on any labelled file.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from fanzha.detect.urls.rules import lists

_WORDS = [
    "sun",
    "moon",
    "river",
    "star",
    "green",
    "blue",
    "city",
    "home",
    "food",
    "tech",
    "data",
    "cloud",
    "shop",
    "book",
    "music",
    "travel",
    "health",
    "school",
    "garden",
    "design",
    "energy",
    "media",
    "world",
    "china",
    "east",
    "west",
    "north",
    "south",
    "smart",
    "family",
    "happy",
    "golden",
    "ocean",
    "forest",
    "light",
    "stone",
    "bridge",
    "market",
    "studio",
    "clinic",
    "hotel",
    "sports",
    "game",
    "news",
    "finance",
    "law",
    "photo",
    "huaxia",
    "zhongguo",
    "beijing",
    "shanghai",
    "shenzhen",
    "hangzhou",
    "chengdu",
    "jiayuan",
    "xinhua",
    "hengda",
    "kangmei",
    "meili",
    "tianyi",
    "haoyun",
    "jinshan",
    "baihe",
    "dongfang",
    "xiyang",
    "changan",
    "minsheng",
    "huamei",
    "yuanda",
    "lianhe",
]
_SAFE_TLDS = [
    "com",
    "cn",
    "com.cn",
    "net",
    "org",
    "net.cn",
    "org.cn",
    "edu.cn",
    "com.au",
    "de",
    "co.uk",
    "io",
    "fr",
    "jp",
]
_PATHS = [
    "",
    "/",
    "/index.html",
    "/about",
    "/news/2024/05/article.html",
    "/products/list?page=2",
    "/contact-us",
    "/en/",
    "/search?q=shoes",
    "/help/faq",
    "/wp-content/uploads/logo.png",
    "/login",
    "/account/settings",
    "/cart",
    "/blog/how-to",
    "/static/js/app.js",
]
_BAD_PATHS = [
    "",
    "/",
    "/login.php",
    "/verify",
    "/account/update",
    "/zhanghu/jiedong",
    "/tuikuan.html",
    "/anquan/index.php",
    "/m/",
    "/app.apk",
    "/?id=8734",
    "/secure/signin",
    "/h5/#/pay",
]


def _typo(rng: random.Random, t: str) -> str:
    ops = rng.randrange(5)
    i = rng.randrange(len(t))
    if ops == 0 and len(t) > 4:
        return t[:i] + t[i + 1 :]
    if ops == 1:
        return t[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") + t[i:]
    if ops == 2:
        return t[:i] + rng.choice("aeiouxz") + t[i + 1 :]
    if ops == 3:
        return t.replace("o", "0").replace("l", "1").replace("i", "1").replace("m", "rn")
    return t + rng.choice(["-cn", "cn", "-online", "-vip", "s", "365"])


def _rand_label(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, int]]:
    """Yield ``n`` (url, label) pairs, label 1 = risky."""
    rng = random.Random(seed)
    L = lists()
    brands = L.brands
    officials = sorted(L.official)
    for _ in range(n):
        scheme = rng.choice(["https://", "http://", "https://", ""])
        if rng.random() < 0.5:
            r = rng.random()
            if r < 0.3:
                host = rng.choice(["", "www.", "m.", "mail.", "pay.", "ebank."]) + rng.choice(
                    officials
                )
            else:
                a = rng.choice(_WORDS)
                b = rng.choice(_WORDS) if rng.random() < 0.5 else ""
                sep = rng.choice(["", "-"]) if b else ""
                host = (
                    rng.choice(["www.", "", "shop.", "blog."])
                    + a
                    + sep
                    + b
                    + "."
                    + rng.choice(_SAFE_TLDS)
                )
            yield scheme + host + rng.choice(_PATHS), 0
        else:
            b = rng.choice(brands)
            t = b.token if not b.token.isdigit() else b.token
            r = rng.random()
            tld = rng.choice(sorted(L.risky_tlds) + ["com", "cn", "net"])
            lure = rng.choice(L.pinyin_lures + L.english_lures)
            if r < 0.25:
                host = _typo(rng, t) + "." + rng.choice(["com", "cn", "com.cn", "net", tld])
            elif r < 0.45:
                host = f"{t}{rng.choice(['-', '', '.'])}{lure}.{tld}"
            elif r < 0.6:
                host = f"{t}.{rng.choice(b.domains)}.{_rand_label(rng, rng.randint(4, 10))}.{tld}"
            elif r < 0.7:
                host = ".".join(str(rng.randint(1, 254)) for _ in range(4))
            elif r < 0.8:
                host = f"{t}-{lure}.{rng.choice(sorted(L.free_hosting))}"
            elif r < 0.9:
                host = _rand_label(rng, rng.randint(10, 20)) + "." + tld
            else:
                host = f"{lure}{rng.choice(['-', ''])}{rng.choice(_WORDS)}.{tld}"
            yield scheme + host + rng.choice(_BAD_PATHS), 1
