"""Generated URL material: ordinary web URLs vs phishing/fraud URLs, written for the project.

The public phishing sets carry no licence, so the shipped URL model learns from this generator
(plus the rules); ``fanzha url train`` can train on any labelled file. The shapes below are
written from general knowledge of the web (how news sites, shops, forums, social networks, CDNs
and hacked-CMS phishing kits lay out their URLs), not copied from any data set.

Design: both classes share the surface that real life shares (www and bare hosts, http and
https, ordinary-word host names, country-code TLDs, .php pages, query strings, brand names in
news slugs, redirect parameters, free hosting), so that the model must learn the risk cues
(brand on a foreign host, lure words in hacked-CMS folders, random tokens, IP hosts ...) and
cannot learn a shape shortcut or "unknown word = phishing".
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Callable, Iterator

from fanzha.detect.urls.rules import Brand, lists

# -- vocabulary (ordinary English and pinyin: builds host names, slugs and folders) -------------


def _words(text: str) -> list[str]:
    return text.split()


_EN = _words(
    """
about above access action active actor adult advice africa after agency agent air album all
alpha amazing america analysis angel animal annual answer apple apply april arch area arena
army art article artist asia atlas audio august auto autumn avenue award baby back bake
balance ball band bank bar base basic basket bath battle bay beach bean bear beauty bed bee
berry best better bike bill bird birth black blade blog blood bloom blue board boat body bold
bone book boost boot border boss box boy brain branch brand brave bread break brick bride
bright bring broad brother brown build bull bureau burn bus business butter buy cable cafe
cake call camera camp campus canada candy canyon capital car card care career cargo carol case
cash castle cat catch cause cell center central chain chair champion change channel chart
cheap check chef chess chicken child choice church circle city civil class classic clean clear
click climate clinic clock cloud club coach coast code coffee cold college color comedy
comfort common company compass computer concept connect cook cool coral core corner cost
cottage council country county courage course cover craft crazy cream create credit crew crop
cross crown crystal cup custom cycle daily dairy dance dark data date dawn day deal dear deep
deer delta dental desert design desk detail develop diamond diet digital direct dish district
doctor dog dollar door double dragon drama dream dress drink drive drop drum duck dust eagle
early earth east easy echo eco edge editor education egg elite empire energy engine english
enjoy epic equal estate euro event ever every exam expert express extra eye fabric face fact
factory fair faith falcon fall family fan farm fashion fast father feature federal festival
field film final finance find fine fire first fish fit flag flash fleet flight floor flow
flower fly focus folk food foot force forest forever form fort forum fox frame free fresh
friend front fruit fuel fun fund future galaxy game garage garden gate gear gem general giant
gift girl glass global glory gold golf good grace grand grape graph grass great green grid
group grove guard guide guitar gulf hall hand happy harbor hard harmony harvest hat haven head
health heart heat heaven help herald hero hidden high hill history hobby holiday home honey
hope horizon horse host hotel hour house hub human humor hunter ice idea image impact india
indie info inn insight island ivory jack jazz jewel job join journal joy judge juice jump
jungle junior just keen key kid kind king kitchen kite knight lab lady lake lamp land language
laser last law leaf league learn legal lemon level liberty life light lime line link lion list
little live local lodge logic long lotus love lucky lunar magic mail main major maker mall man
map maple marble march marine market mars master match matrix meadow media medical meet mega
member memory mentor merit metal metro micro middle mile milk mill mind mint mirror mission
mobile model modern moment money monkey moon morning mother motion motor mountain mouse movie
music nation native nature navy neo net network new news next nice night noble north note nova
novel number nurse oak ocean office oil old olive omega one open opera orange orbit order
organic origin outdoor owl pacific page paint palace palm panda paper park party pass path
patrol peace peak pearl pen people pepper perfect pet phone photo piano pick picture pilot
pine pink pioneer pixel pizza place plain planet plant plate play plaza plus pocket poem point
polar pool pop port post power press prime print prize pro project pure purple quality quantum
queen quest quick quiet rabbit race radio rain rainbow ranch rapid raven ready real record red
reef region remote rent report rescue research resort rest review rich ride right ring rise
river road robot rock rocket roof room root rose round royal ruby rural safari sage sail saint
salt sand save scale scene school science score sea season secret seed select sense service
seven shadow shape share sharp shell shield shine ship shoe shop short show side sign silk
silver simple singer single sister site sky sleep slim small smart smile snow soccer social
soft solar solid song soul sound source south space spark speed spice spirit sport spring
square staff stage star start state station steel step stone store storm story street strong
studio style summer sun super supply surf swan sweet swift system table tale talent taste tea
team tech teen temple tennis terra test texas theory think tiger time tiny today tool top
torch total touch tour tower town toy track trade trail train travel tree trend tribe trip
tropical true trust truth turbo twin union unique unit united urban valley value vector velvet
venture venus vertex video view village vintage vision vista vital voice volt voyage walk wall
water wave way wealth weather web week well west whale white wide wild wind window wine wing
winter wire wise wolf wonder wood word work world worth write yard year yellow yoga young
youth zen zero zone
"""
)

_PINYIN = _words(
    """
ai an ba bai ban bang bao bei ben bi bian biao bin bo bu cai can cao chang chao chen cheng chi
chong chu chuan chun ci cong cui da dai dan dang dao de deng di dian ding dong du duan dun duo
er fa fan fang fei fen feng fu gai gan gang gao ge gong gu guan guang gui guo hai han hang hao
he heng hong hou hu hua huai huan huang hui huo ji jia jian jiang jiao jie jin jing jiu ju
juan jun kai kang ke kong kun lai lan lang lao le lei li lian liang lin ling liu long lu lun
luo ma mai man mao mei men meng mi miao min ming mu nan neng ning nong ou pan pei peng pin
ping pu qi qian qiang qiao qin qing qiu qu quan ran ren ri rong ru rui run san sen sha shan
shang shao she shen sheng shi shou shu shuang shui shun si song su sui sun ta tai tan tang tao
teng tian tie ting tong tu wan wang wei wen wo wu xi xia xian xiang xiao xie xin xing xiong
xiu xu xuan xue xun ya yan yang yao ye yi yin ying yong you yu yuan yue yun zai zan ze zeng
zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhuang zi zong zu zun zuo
"""
)

_SYLLABLES = _words(
    """
al an ar as ba be bi bo ca ce co da de di do el en er es ex fa fi fo ga ge go ha he ho in is
ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu ol on or pa pe pi po ra re ri ro ru
sa se si so ta te ti to tu va ve vi vo xa xo ya yo za ze zi zo
"""
)
_ENDINGS = ["", "", "", "ly", "ify", "io", "x", "er", "on", "ia", "co", "go", "hub", "lab", "able"]

_FIRST = _words(
    """
james john robert michael william david richard joseph thomas charles mary patricia jennifer
linda elizabeth susan jessica sarah karen nancy lisa emma olivia sophia mia anna laura maria
daniel paul mark kevin jason ryan eric adam peter chris alex sam tom ben jack lucy kate amy
wei fang min jing li lei yan hui ming hao yu xin jun tao ling
"""
)
_LAST = _words(
    """
smith johnson williams brown jones miller davis wilson anderson taylor thomas moore martin
jackson white harris clark lewis walker hall allen young king wright scott green baker adams
nelson hill campbell mitchell roberts carter phillips evans turner parker collins edwards wang
li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao muller schmidt
schneider rossi russo garcia martinez lopez gonzalez silva santos kim lee park
"""
)

_ORG_ENDS = ["", "inc", "group", "law", "llc", "usa", "ny", "tx", "pa", "ca", "online", "center",
             "services", "foundation", "church", "school", "club", "ltd", "co", "corp", "uk", "de"]  # fmt: skip
_SERVICE_PAGES = [
    "support", "contact/support", "help/account", "security", "privacy/security", "claims",
    "claim", "billing", "invoice", "invoices", "customer-service", "customer/account",
    "password-reset", "verify-email", "update", "updates", "track-order", "tracking", "delivery",
    "delivery-information", "refund-policy", "refunds", "returns", "gift-cards", "rewards",
    "account/orders", "account/settings", "login/help", "banking", "online-banking", "payment",
    "payments", "pay-bill", "wallet", "secure-payments", "confirm-subscription", "unsubscribe",
    "recovery", "account-recovery", "suspended", "webmail", "mail", "owa", "portal", "signin/help",
    "applications/login", "members/login", "client-area", "clientarea.php", "my/account",
    "faq", "faqs", "donate", "careers", "recruit", "jobs", "news", "events", "products",
    "services", "about", "company", "team", "gallery", "partners", "personal-banking/savings",
    "business-banking", "loans", "mortgage", "insurance", "card", "cards", "savings",
    "investments", "pricing", "downloads", "catalog", "info", "info/info.php", "qa", "qalist.php",
    "board", "notice", "location", "locations", "directions", "hours", "menu", "reservations",
    "shop", "store-locator", "press", "media", "investors", "sustainability", "legal",
    "terms", "privacy", "cookies", "accessibility", "en/about", "ja/company", "de/kontakt",
]  # fmt: skip
_FUNC = ["the", "a", "of", "to", "in", "for", "and", "how", "why", "what", "with", "is", "are",
         "on", "your", "you", "my", "from", "at", "by", "best", "new", "top", "first", "after"]  # fmt: skip

# Generic TLDs and country codes (weights ~ how often ordinary sites use them); the risky ones
# from brands.yaml appear too, as on the real web, only less often than on phishing hosts.
_TLDS_COMMON = (
    ["com"] * 40
    + ["org"] * 6
    + ["net"] * 6
    + ["co.uk", "de", "fr", "jp", "ru", "br", "in", "it", "es", "nl", "pl", "ca", "com.au", "cn"]
    * 2
    + ["com.cn", "edu", "gov", "ac.uk", "edu.au", "co.jp", "com.br", "co.in", "co.za", "co.nz"]
    + ["se", "ch", "be", "at", "cz", "dk", "fi", "no", "pt", "ie", "gr", "hu", "ro", "ua", "tr"]
    + ["kr", "tw", "hk", "com.hk", "com.tw", "sg", "com.sg", "my", "id", "vn", "th", "ph", "ir"]
    + ["mx", "com.mx", "ar", "com.ar", "cl", "co", "pe", "us", "eu", "io", "me", "tv", "ai"]
    + ["edu.cn", "org.cn", "net.cn", "gov.cn", "org.uk", "com.tr", "co.kr", "or.jp", "ne.jp"]
    + ["info", "biz", "app", "dev", "xyz", "online", "site", "club", "tech", "store", "cc"]
)

_SCHEMES = ["https://"] * 11 + ["http://"] * 6 + [""] * 3


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _alnum(rng: random.Random, n: int, upper: bool = True) -> str:
    chars = (
        string.ascii_letters + string.digits if upper else string.ascii_lowercase + string.digits
    )
    return "".join(rng.choice(chars) for _ in range(n))


def _rand_label(rng: random.Random, n: int) -> str:
    return _alnum(rng, n, upper=False)


def _b64(rng: random.Random, text: str) -> str:
    return base64.b64encode(text.encode()).decode().rstrip("=" if rng.random() < 0.5 else "")


def _uuid(rng: random.Random) -> str:
    return "-".join(_hex(rng, k) for k in (8, 4, 4, 4, 12))


def _word(rng: random.Random) -> str:
    return rng.choice(_EN)


def _pinyin(rng: random.Random, k: int | None = None) -> str:
    return "".join(rng.choice(_PINYIN) for _ in range(k or rng.choice([2, 2, 2, 3])))


def _invented(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(_ENDINGS)


def _person(rng: random.Random) -> str:
    f, last = rng.choice(_FIRST), rng.choice(_LAST)
    return rng.choice([f + last, f + "-" + last, f[0] + last, f + last + _digits(rng, 2), last])


def _name(rng: random.Random) -> str:
    """An ordinary site name: words, pinyin, invented brand-like names, people, acronyms."""
    r = rng.random()
    if r < 0.22:
        return _word(rng) + _word(rng)
    if r < 0.32:
        return _word(rng) + "-" + _word(rng)
    if r < 0.42:
        return _word(rng) + rng.choice(["", "s", "ly", "er", "hub", "online", "world", "net"])
    if r < 0.58:
        return _pinyin(rng)
    if r < 0.68:
        return _invented(rng)
    if r < 0.76:
        return _person(rng)
    if r < 0.84:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 4)))
    if r < 0.88:
        return _word(rng) + rng.choice(["24", "365", "360", "1", "2", "99", "123", "7", "101"])
    if r < 0.91:
        return _pinyin(rng, 1) + _word(rng)
    if r < 0.96:  # organisations: several words, often with a place or a legal form
        return _word(rng) + _word(rng) + rng.choice(_ORG_ENDS)
    return _word(rng) + _word(rng) + _word(rng)


def _tld(rng: random.Random) -> str:
    return rng.choice(_TLDS_COMMON)


def _title(rng: random.Random, lo: int = 3, hi: int = 11, sep: str = "-") -> str:
    words = []
    for _ in range(rng.randint(lo, hi)):
        r = rng.random()
        words.append(
            rng.choice(_FUNC)
            if r < 0.3
            else _digits(rng, rng.choice([1, 2, 4]))
            if r < 0.36
            else _pinyin(rng)
            if r < 0.42
            else _word(rng)
        )
    return sep.join(words)


def _cap_title(rng: random.Random) -> str:
    return "_".join(w.capitalize() for w in _title(rng, 1, 4).split("-"))


def _utm(rng: random.Random) -> str:
    src = rng.choice(["newsletter", "twitter", "facebook", "google", "email", "rss", "partner"])
    parts = [
        f"utm_source={src}",
        f"utm_medium={rng.choice(['email', 'social', 'cpc', 'referral'])}",
    ]
    if rng.random() < 0.7:
        parts.append(f"utm_campaign={_word(rng)}_{_digits(rng, rng.choice([4, 6, 8]))}")
    if rng.random() < 0.2:
        parts.append(f"utm_content={_word(rng)}")
    return "&".join(parts)


def _query(rng: random.Random) -> str:
    keys = ["id", "page", "ref", "sort", "lang", "cat", "p", "s", "v", "type", "from", "sid"]
    vals: list[Callable[[], str]] = [
        lambda: _digits(rng, rng.randint(1, 7)),
        lambda: _word(rng),
        lambda: rng.choice(["en", "zh-CN", "de", "fr", "ja", "es"]),
        lambda: _alnum(rng, rng.randint(6, 12)),
    ]
    n = rng.randint(1, 3)
    return "&".join(f"{rng.choice(keys)}={rng.choice(vals)()}" for _ in range(n))


def _date_path(rng: random.Random) -> str:
    y, m, d = rng.randint(2005, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"/{y}/{m:02d}/{d:02d}", f"/{y}/{m:02d}", f"/{y}{m:02d}{d:02d}", f"/{y}"])


def _locale(rng: random.Random) -> str:
    return rng.choice(
        ["en", "en-us", "en-gb", "zh-cn", "zh-tw", "de", "de-de", "fr", "fr-fr", "ja", "ja-jp",
         "es", "pt-br", "ru", "it", "ko", "nl", "pl", "tr", "ar", "zh", "cn", "us", "uk"]
    )  # fmt: skip


# everyday words of other languages' sites (German, Dutch, French, Spanish, Portuguese,
# Italian, Polish, Czech, Turkish, Swedish, Japanese romaji; general knowledge)
_FOREIGN = _words(
    """
ueber-uns unternehmen leistungen produkte aktuelles neuigkeiten karriere ansprechpartner
anfahrt termine veranstaltungen gebrauchtteile maschinen beratung steuerberatung
buchhaltung verwaltung gemeinde rathaus schule verein mitglieder spenden galerie referenzen
downloads inhalte kompetenzfelder standorte angebote bauen wohnen handwerk technik
over-ons diensten nieuws contactgegevens vacatures producten projecten werken tarieven
qui-sommes-nous actualites services-fr produits equipe tarifs entreprise realisations
nosotros servicios productos noticias empresa proyectos contacto-es quienes-somos obras
sobre-nos servicos produtos noticias-pt projetos empresa-pt reforma obras-e-projetos
chi-siamo servizi prodotti notizie azienda progetti realizzazione progettazione
o-firmie uslugi oferta aktualnosci produkty realizacje kontakt-pl galeria cennik
o-nas sluzby produkty-cz aktuality reference tisk cenik
hakkimizda hizmetler urunler haberler iletisim projeler kurumsal referanslar
om-oss tjanster produkter nyheter kontakta
kaisha gaiyou jigyou annai saiyou shinchaku oshirase seihin kigyou
"""
)


def _fword(rng: random.Random) -> str:
    return rng.choice(_FOREIGN)


def _foreign_path(rng: random.Random) -> str:
    """Pages of small sites written in other languages: short plain sections, nested content
    folders ending in index pages, slugs mixing words and numbers."""
    ext = rng.choice(["", "", "/", "/", ".html", ".php", ".htm", ".asp"])
    return rng.choice(
        [
            f"/{_fword(rng)}{ext}",
            f"/{_fword(rng)}/{_fword(rng)}{ext}",
            f"/{_locale(rng)}/{_fword(rng)}/",
            f"/{_locale(rng)}/{_fword(rng)}/{_fword(rng)}-{_fword(rng)}",
            f"/content/{_fword(rng)}/{_fword(rng)}/{_fword(rng)}/index.html",
            f"/{_fword(rng)}/{_fword(rng)}/index.{rng.choice(['html', 'php', 'htm'])}",
            f"/index.php/{_locale(rng)}/{_fword(rng)}/{_fword(rng)}",
            f"/{_fword(rng)}/{_fword(rng)}-{_fword(rng)}-{_fword(rng)}",
            f"/{rng.randint(1, 999)}/{_fword(rng).capitalize()}-{_fword(rng)}-{_fword(rng)}",
            f"/{_fword(rng)}/{rng.randint(1, 300)}/",
            f"/{_fword(rng)}/{_fword(rng)}.{rng.choice(['php', 'asp', 'aspx', 'html'])}",
            # what every WordPress site answers, whatever its language
            "/wp-includes/wlwmanifest.xml",
            f"/wp-json/wp/v2/{rng.choice(['pages', 'posts', 'media'])}/{rng.randint(1, 9999)}",
            f"/{_fword(rng)}/feed/",
            f"/wp-content/themes/{_word(rng)}/{rng.choice(['build/fonts', 'fonts', 'css'])}/{_alnum(rng, 6).upper()}_0_0.{rng.choice(['woff2', 'woff', 'css'])}",
        ]
    )


def _document_path(rng: random.Random) -> str:
    """Documents and images ordinary sites upload (brochures, menus, certificates, logos)."""
    name = "-".join(
        (_word(rng) if rng.random() < 0.7 else _fword(rng)).capitalize()
        for _ in range(rng.randint(1, 4))
    )
    if rng.random() < 0.3:
        name += f"-{rng.randint(2010, 2026)}"
    ext = rng.choice(["pdf", "pdf", "pdf", "docx", "jpg", "png", "svg"])
    return rng.choice(
        [
            f"/wp-content/uploads/{rng.randint(2010, 2026)}/{rng.randint(1, 12):02d}/{name}.{ext}",
            f"/files/{name}.{ext}",
            f"/Files/{_fword(rng).capitalize()}/{name}.{ext}",
            f"/{_hex(rng, 24)}/{_hex(rng, 24)}_{name}.{ext}",
            f"/tpl/{_hex(rng, 8)}/{rng.randint(1, 40)}/master/templates/{_word(rng)}/img/{_word(rng)}.svg",
            f"/images/{_word(rng)}/{name}.{ext}",
            f"/media/{rng.randint(1, 9999)}/{name}.{ext}",
            f"/content/v1/{_hex(rng, 24)}/{_digits(rng, 13)}-{_alnum(rng, 20).upper()}/{_word(rng)}.{ext}",
        ]
    )


def _benign_url(rng: random.Random, host: str) -> str:
    """A page of an ordinary site, in one of the shapes ordinary sites use."""
    r = rng.random()
    if rng.random() < 0.12:  # small sites in other languages, uploaded documents
        path = _foreign_path(rng) if rng.random() < 0.7 else _document_path(rng)
    elif r < 0.16:
        path = rng.choice(
            ["", "/", "", "/", "/index.html", "/index.php", "/home", "/en/", "/default.aspx"]
        )
    elif r < 0.23:  # service pages whose words phishing kits borrow (support, account, billing ...)
        path = (
            "/" + rng.choice(_SERVICE_PAGES) + rng.choice(["", "", "/", ".html", ".php", ".aspx"])
        )
        if rng.random() < 0.15:
            path += "?" + _query(rng)
    elif r < 0.30:  # news article
        slug = _title(rng, 4, 14)
        sec = rng.choice(["news", "world", "sport", "business", "tech", "politics", "culture",
                          "opinion", "local", "entertainment", "science", "health", "story"])  # fmt: skip
        path = rng.choice(
            [
                f"{_date_path(rng)}/{slug}/",
                f"/{sec}{_date_path(rng)}/{slug}",
                f"/{sec}/{slug}-{_digits(rng, rng.randint(5, 9))}",
                f"/{sec}/{_word(rng)}/{slug}.html",
                f"/{sec}/article/{_digits(rng, 6)}/{slug}",
                f"/{slug}",
                f"/article/{slug}-{_alnum(rng, 6, False)}",
                f"/{sec}/{_date_path(rng).strip('/')}/{_digits(rng, 6)}.shtml",
                f"/{rng.choice(['a', 'n', 'doc'])}/{_date_path(rng).strip('/').replace('/', '')}/{_digits(rng, 7)}.htm",
            ]
        )
    elif r < 0.33:  # blog
        path = rng.choice(
            [
                f"/blog/{_title(rng, 3, 9)}",
                f"/{_date_path(rng).strip('/')}/{_title(rng, 3, 9)}.html",
                f"/?p={_digits(rng, rng.randint(2, 5))}",
                f"/category/{_word(rng)}/",
                f"/tag/{_word(rng)}-{_word(rng)}/",
                f"/author/{_person(rng)}/",
                f"/posts/{_title(rng, 2, 6)}",
                f"/{_word(rng)}/{_title(rng, 2, 8)}/",
            ]
        )
    elif r < 0.40:  # social / video
        user = rng.choice(
            [_person(rng), _word(rng) + _word(rng), _pinyin(rng), _alnum(rng, 8, False)]
        )
        path = rng.choice(
            [
                f"/{user}",
                f"/{user}/status/{_digits(rng, 18)}",
                f"/@{user}",
                f"/user/{user}",
                f"/users/{_digits(rng, 6)}/{user}",
                f"/p/{_alnum(rng, 11)}/",
                f"/watch?v={_alnum(rng, 11)}",
                f"/channel/UC{_alnum(rng, 22)}",
                f"/r/{_word(rng)}/comments/{_alnum(rng, 6, False)}/{_title(rng, 3, 8, '_')}/",
                f"/{user}/posts/{_digits(rng, 15)}",
                f"/groups/{_word(rng)}{_word(rng)}/",
                f"/video/{_alnum(rng, 9, False)}",
                f"/profile.php?id={_digits(rng, 15)}",
                f"/in/{user}-{_hex(rng, 8)}",
            ]
        )
    elif r < 0.46:  # Q&A, forums
        path = rng.choice(
            [
                f"/questions/{_digits(rng, 8)}/{_title(rng, 4, 10)}",
                f"/q/{_digits(rng, 7)}",
                f"/question/{_digits(rng, 9)}",
                f"/forum/viewtopic.php?t={_digits(rng, 5)}&start={rng.choice([0, 15, 30, 45])}",
                f"/threads/{_title(rng, 3, 8)}.{_digits(rng, 6)}/",
                f"/showthread.php?t={_digits(rng, 6)}",
                f"/forums/topic/{_title(rng, 3, 7)}/",
                f"/thread-{_digits(rng, 6)}-1-1.html",
                f"/t/{_title(rng, 3, 7)}/{_digits(rng, 5)}",
                f"/answers/{_title(rng, 3, 9)}",
            ]
        )
    elif r < 0.51:  # wiki / docs
        path = rng.choice(
            [
                f"/wiki/{_cap_title(rng)}",
                f"/wiki/{rng.choice(['Category', 'Talk', 'File', 'Help'])}:{_cap_title(rng)}",
                f"/w/index.php?title={_cap_title(rng)}&action=edit",
                f"/docs/{_word(rng)}/{_word(rng)}.html",
                f"/doc/{_word(rng)}-{_word(rng)}",
                f"/manual/{_locale(rng)}/{_word(rng)}.{_word(rng)}.php",
                f"/reference/{_word(rng)}/{_word(rng)}",
                f"/item/{_pinyin(rng)}/{_digits(rng, 7)}",
            ]
        )
    elif r < 0.62:  # e-commerce
        prod = _title(rng, 2, 7)
        path = rng.choice(
            [
                f"/product/{prod}/{_digits(rng, 6)}",
                f"/products/{prod}",
                f"/p/{prod}-{_digits(rng, 8)}",
                f"/dp/B0{_alnum(rng, 8).upper()}",
                f"/{prod}/dp/B0{_alnum(rng, 8).upper()}/ref=sr_1_{rng.randint(1, 20)}",
                f"/item.htm?id={_digits(rng, 12)}",
                f"/{_word(rng)}/{_word(rng)}-{_word(rng)}/?sort={rng.choice(['price', 'new', 'popular'])}&page={rng.randint(2, 9)}",
                f"/category/{_word(rng)}/{_word(rng)}?color={_word(rng)}&size={rng.choice(['s', 'm', 'l', 'xl'])}",
                f"/shop/{prod}.html",
                "/cart",
                "/checkout/cart/",
                f"/collections/{_word(rng)}/products/{prod}",
                f"/itm/{prod}/{_digits(rng, 12)}",
                f"/deals?{_query(rng)}",
            ]
        )
    elif r < 0.68:  # static assets / CDN
        path = rng.choice(
            [
                f"/static/js/main.{_hex(rng, 8)}.js",
                f"/assets/{rng.choice(['img', 'images', 'css', 'fonts'])}/{_word(rng)}-{_word(rng)}.{rng.choice(['png', 'jpg', 'svg', 'css', 'woff2', 'webp'])}",
                f"/wp-content/uploads/{rng.randint(2010, 2026)}/{rng.randint(1, 12):02d}/{_word(rng)}-{_word(rng)}-{rng.randint(100, 1920)}x{rng.randint(100, 1080)}.jpg",
                f"/wp-content/themes/{_word(rng)}/style.css?ver={rng.randint(1, 6)}.{rng.randint(0, 9)}",
                f"/wp-content/plugins/{_word(rng)}-{_word(rng)}/assets/js/{_word(rng)}.min.js",
                f"/wp-includes/js/jquery/jquery.min.js?ver={rng.randint(1, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 4)}",
                f"/images/{_hex(rng, 32)}.jpg",
                f"/_next/static/chunks/{rng.choice(['pages/', ''])}{_word(rng)}-{_hex(rng, 16)}.js",
                f"/s/files/1/{_digits(rng, 4)}/{_digits(rng, 4)}/products/{_word(rng)}-{_word(rng)}_{rng.randint(100, 2000)}x.jpg?v={_digits(rng, 10)}",
                f"/{_word(rng)}/image/upload/c_fill,w_{rng.randint(32, 1200)},h_{rng.randint(32, 900)}/q_auto/v{_digits(rng, 10)}/{_word(rng)}/{_word(rng)}.{rng.choice(['png', 'jpg', 'webp'])}",
                f"/content/dam/{_name(rng)}/{_locale(rng)}/{_word(rng)}/{_word(rng)}-{_word(rng)}.{rng.choice(['png', 'pdf', 'jpg'])}",
                f"/wp-content/plugins/{_word(rng)}-{_word(rng)}-{_word(rng)}/assets/{rng.choice(['font/fontawesome-webfont.woff2', 'css/style.css', 'js/frontend.js', 'images/icon.svg'])}",
                f"/wp-content/themes/{_name(rng)}/assets/images/{_word(rng)}-{_name(rng)}.{rng.choice(['svg', 'png'])}",
                f"/assets/{_word(rng)}s/{_word(rng)}/{_word(rng)}-{_hex(rng, 64)}",
                f"/dist/{_word(rng)}.{_hex(rng, 20)}.{rng.choice(['js', 'css'])}",
                rng.choice(
                    [
                        "/wp-includes/wlwmanifest.xml",
                        "/xmlrpc.php",
                        "/feed/",
                        "/wp-json/",
                        "/wp-admin/admin-ajax.php",
                        "/robots.txt",
                        "/sitemap.xml",
                        "/favicon.ico",
                    ]
                ),
                f"/{_hex(rng, 24)}/{_hex(rng, 24)}_{_word(rng)}.{rng.choice(['svg', 'png', 'jpg'])}",
                f"/media/{_alnum(rng, 12)}/{_word(rng)}.mp4",
                f"/files/{_title(rng, 2, 4)}.pdf",
                f"/uploads/{_digits(rng, 4)}/{_digits(rng, 2)}/{_hex(rng, 16)}.png",
                f"/ajax/libs/{_word(rng)}/{rng.randint(1, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}/{_word(rng)}.min.js",
            ]
        )
    elif r < 0.73:  # search
        q = "+".join(_word(rng) for _ in range(rng.randint(1, 4)))
        path = rng.choice(
            [
                f"/search?q={q}",
                f"/search?q={q}&hl={_locale(rng)}&start={rng.choice([10, 20])}",
                f"/s?k={q}&ref=nb_sb_noss",
                f"/results?search_query={q}",
                f"/search/?query={q}&page={rng.randint(1, 5)}",
                f"/?s={q}",
                f"/s?wd={_pinyin(rng)}&ie=utf-8",
            ]
        )
    elif r < 0.79:  # own login / account pages (real services log in on their own domains)
        nxt = rng.choice(["%2F", "%2Fdashboard", "%2Faccount", f"%2F{_word(rng)}", "/home"])
        path = rng.choice(
            [
                "/login",
                "/signin",
                f"/login?next={nxt}",
                f"/account/login?returnUrl={nxt}",
                "/users/sign_in",
                "/my-account/",
                "/wp-login.php",
                f"/wp-login.php?redirect_to=https%3A%2F%2F{host}%2Fwp-admin%2F&reauth=1",
                "/user/login?destination=/node/1",
                "/auth/login",
                "/account/",
                "/accounts/password/reset/",
                "/register",
                f"/oauth/authorize?client_id={_hex(rng, 20)}&response_type=code&redirect_uri=https%3A%2F%2F{host}%2Fcallback",
                "/member/login.php",
                "/secure/Dashboard.jspa",
                "/customer/account/login/",
                "/login.aspx?ReturnUrl=%2fdefault.aspx",
            ]
        )
    elif r < 0.83:  # redirects and share links on legitimate sites
        other = f"https://{rng.choice(['www.', ''])}{_name(rng)}.{_tld(rng)}/{_title(rng, 2, 5)}"
        path = rng.choice(
            [
                f"/url?q={other}&sa=U",
                f"/l.php?u={other.replace(':', '%3A').replace('/', '%2F')}",
                f"/redirect?url={other}",
                f"/out?to={other.replace(':', '%3A').replace('/', '%2F')}",
                f"/share?url={other}&text={_title(rng, 2, 5)}",
                f"/intent/tweet?url={other}",
                f"/sharer/sharer.php?u={other}",
                f"/go/{_word(rng)}?ref={_word(rng)}",
                f"/link?target={other}",
            ]
        )
    elif r < 0.88:  # localised sections
        path = f"/{_locale(rng)}/{rng.choice([_word(rng), _title(rng, 1, 4)])}" + rng.choice(
            ["", "/", ".html", f"/{_title(rng, 2, 6)}", f"/{_digits(rng, 5)}"]
        )
    elif r < 0.92:  # downloads, torrents, media listings
        path = rng.choice(
            [
                f"/torrent/{_digits(rng, 7)}/{_title(rng, 2, 6).title()}-{rng.randint(1970, 2025)}-{rng.choice(['720p', '1080p', 'WEBRip', 'BluRay'])}/",
                f"/download/{_word(rng)}-{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.choice(['zip', 'exe', 'dmg', 'tar.gz', 'msi'])}",
                f"/movies/{_title(rng, 1, 4)}-{rng.randint(1950, 2025)}",
                f"/music/{_person(rng)}/{_title(rng, 1, 4)}",
                f"/recipes/{_digits(rng, 5)}/{_title(rng, 2, 5)}/",
                f"/title/tt{_digits(rng, 7)}/",
                f"/game/{_title(rng, 1, 3)}/",
                f"/book/show/{_digits(rng, 7)}.{_cap_title(rng)}",
                f"/software/{_word(rng)}/{_title(rng, 1, 3)}.html",
            ]
        )
    elif r < 0.94:  # CMS / dynamic pages
        path = rng.choice(
            [
                f"/index.php?option=com_content&view=article&id={_digits(rng, 3)}&Itemid={_digits(rng, 2)}",
                f"/page.php?id={_digits(rng, 4)}",
                f"/{_word(rng)}.php?{_query(rng)}",
                f"/{_word(rng)}/{_word(rng)}.aspx",
                f"/{_word(rng)}.jsp?{_query(rng)}",
                f"/cgi-bin/{_word(rng)}.cgi?{_query(rng)}",
                f"/node/{_digits(rng, 5)}",
                f"/{_word(rng)}/{_word(rng)}/{_digits(rng, 4)}.html",
                f"/list-{_digits(rng, 3)}-{rng.randint(1, 20)}.html",
            ]
        )
    else:  # institutional pages (often .php/.html/.aspx with plain names, sometimes TitleCase)
        path = rng.choice(
            [
                f"/{_word(rng)}.{rng.choice(['php', 'html', 'htm', 'aspx', 'asp', 'jsp'])}",
                f"/{_word(rng)}-{_word(rng)}.{rng.choice(['php', 'html', 'htm'])}",
                f"/{_word(rng).capitalize()}/{_word(rng).capitalize()}.{rng.choice(['php', 'aspx', 'html'])}",
                f"/{_word(rng)}/{_word(rng)}/index.{rng.choice(['php', 'html', 'htm'])}",
                f"/index.php/{_title(rng, 1, 5)}",
                f"/index.php/{_word(rng)}/{_title(rng, 2, 6)}",
                f"/{_word(rng).capitalize()}/{_word(rng).capitalize()}_{_word(rng).capitalize()}/{_word(rng)}",
                f"/{_word(rng)}/{_word(rng)}/{_word(rng)}.php",
                f"/{_word(rng)}s/{_word(rng)}/",
                rng.choice(
                    [
                        "/sitemap",
                        "/site-map",
                        "/sitemap.html",
                        "/sitemap.php",
                        "/mapa_do_site.html",
                        "/impressum",
                        "/kontakt",
                        "/datenschutz",
                        "/mentions-legales",
                        "/aviso-legal",
                        "/contacto.html",
                        "/sobre.php",
                        "/chi-siamo",
                        "/over-ons",
                        "/o-nas",
                    ]
                ),
                f"/site/{_word(rng)}/{_word(rng)}-{_word(rng)}/{rng.randint(1, 40)}",
                f"/{_word(rng)}-{rng.randint(2, 9)}.{rng.choice(['php', 'html'])}",
                f"/{_word(rng)}{_word(rng).capitalize()}.php",
                f"/{_word(rng)}-{_word(rng)}",
                f"/about-us/{_word(rng)}",
                "/contact",
                f"/services/{_title(rng, 1, 4)}",
                f"/~{_person(rng)}/{_word(rng)}.html",
                f"/people/{_person(rng)}",
                f"/departments/{_word(rng)}/{_word(rng)}",
                f"/events/{_title(rng, 2, 6)}-{rng.randint(2010, 2026)}",
            ]
        )
    if "?" not in path and rng.random() < 0.09:
        path += "?" + (_utm(rng) if rng.random() < 0.6 else _query(rng))
    elif "?" in path and rng.random() < 0.05:
        path += "&" + _utm(rng)
    if rng.random() < 0.03:
        path += "#" + rng.choice([_word(rng), "comments", "top", f"section-{rng.randint(1, 9)}"])
    return host + path


# sites most ordinary links point to: sub-domains seen on big services
_SUBS_BENIGN = (
    ["www."] * 30
    + [""] * 34
    + ["m.", "en.", "blog.", "news.", "shop.", "store.", "docs.", "support.", "help.", "forum."]
    + ["community.", "api.", "cdn.", "static.", "img.", "mail.", "login.", "accounts.", "my."]
    + ["app.", "web.", "portal.", "de.", "fr.", "jp.", "uk.", "cn.", "bbs.", "wiki.", "dev."]
    + ["secure.", "account.", "auth.", "id.", "signin.", "pay.", "online.", "members.", "mobile."]
    + ["media.", "images.", "video.", "music.", "maps.", "finance.", "sports.", "games.", "go."]
    + ["library.", "lib.", "admissions.", "cs.", "math.", "research.", "www2.", "w3.", "info."]
)

# well-known ordinary sites (general knowledge), besides the official brand domains
_POPULAR = _words(
    """
twitter.com x.com youtube.com wikipedia.org reddit.com stackoverflow.com github.com medium.com
nytimes.com bbc.co.uk bbc.com cnn.com theguardian.com washingtonpost.com forbes.com
reuters.com bloomberg.com wsj.com imdb.com tumblr.com pinterest.com quora.com wordpress.org
yelp.com tripadvisor.com booking.com airbnb.com espn.com nba.com weather.com craigslist.org
etsy.com walmart.com target.com bestbuy.com ikea.com nike.com adidas.com spotify.com
soundcloud.com vimeo.com twitch.tv tiktok.com snapchat.com discord.com telegram.org zoom.us
slack.com baidu.com sina.com.cn sohu.com 163.com weibo.com zhihu.com bilibili.com douban.com
csdn.net cnblogs.com jianshu.com ifeng.com xinhuanet.com people.com.cn chinadaily.com.cn
yandex.ru mail.ru vk.com ok.ru rakuten.co.jp yahoo.co.jp naver.com daum.net bing.com
duckduckgo.com archive.org mozilla.org python.org apache.org w3.org npmjs.com
stackexchange.com superuser.com serverfault.com askubuntu.com mit.edu stanford.edu harvard.edu
ox.ac.uk cam.ac.uk nature.com sciencedirect.com springer.com wiley.com nih.gov cdc.gov
nasa.gov whitehouse.gov europa.eu un.org who.int bbc.co.uk independent.co.uk dailymail.co.uk
usatoday.com nbcnews.com foxnews.com cbsnews.com abcnews.go.com npr.org time.com huffpost.com
buzzfeed.com vice.com wired.com theverge.com techcrunch.com engadget.com cnet.com zdnet.com
arstechnica.com mashable.com businessinsider.com economist.com ft.com latimes.com nypost.com
chicagotribune.com sfgate.com politico.com thehill.com goodreads.com scribd.com slideshare.net
issuu.com flickr.com imgur.com deviantart.com behance.net dribbble.com tiktok.com hulu.com
disneyplus.com hbo.com fandom.com wikihow.com about.com ehow.com answers.com instructables.com
allrecipes.com foodnetwork.com thepiratebay.org 1337x.to rottentomatoes.com metacritic.com
ign.com gamespot.com
"""
)

_FREE_BENIGN_SHAPES = [
    lambda rng, n: f"{n}.github.io/{_word(rng)}-{_word(rng)}/",
    lambda rng, n: f"{n}.blogspot.com{_date_path(rng)}/{_title(rng, 3, 8)}.html",
    lambda rng, n: f"{n}.wordpress.com{_date_path(rng)}/{_title(rng, 3, 8)}/",
    lambda rng, n: f"{n}.wixsite.com/{n}/{_word(rng)}",
    lambda rng, n: f"{n}.weebly.com/{_word(rng)}.html",
    lambda rng, n: f"{n}.herokuapp.com/",
    lambda rng, n: f"{n}.netlify.app/{_word(rng)}",
    lambda rng, n: f"{n}.vercel.app/",
    lambda rng, n: f"sites.google.com/view/{n}/{_word(rng)}",
    lambda rng, n: f"{n}.tumblr.com/post/{_digits(rng, 12)}/{_title(rng, 2, 6)}",
]


def _benign(rng: random.Random, officials: list[str]) -> str:
    r = rng.random()
    if r < 0.09:
        host = rng.choice(
            ["", "www.", "www.", "m.", "mail.", "pay.", "help.", "login."]
        ) + rng.choice(officials)
    elif r < 0.24:
        host = rng.choice(["www.", "", "", "m.", "en.", "news.", "blog."]) + rng.choice(_POPULAR)
    elif r < 0.29:
        return rng.choice(_FREE_BENIGN_SHAPES)(rng, _name(rng))
    else:
        host = rng.choice(_SUBS_BENIGN) + _name(rng) + "." + _tld(rng)
        if rng.random() < 0.03:
            host += f":{rng.choice([8080, 8000, 8443, 3000])}"
    return _benign_url(rng, host)


# -- phishing ---------------------------------------------------------------------------------

_CMS = [
    "wp-content/plugins/{w}", "wp-content/themes/{w}", "wp-includes/{w}", "wp-admin/{w}",
    "wp-content/uploads/{y}/{m}", "wp-includes/js/{r}", "wp-content/{r}", "administrator/{w}",
    "components/com_{w}", "modules/{w}", "images/{w}", "css/{r}", "js/{w}", ".well-known/{w}",
    "templates/{w}", "sites/default/files/{w}", "cgi-bin/{w}", "includes/{r}", "admin/{w}",
    "vendor/{w}", "assets/{r}", "public/{w}", "{w}", "{w}/{w2}", "~{w}",
]  # fmt: skip
_KIT_DIRS = [
    "{b}", "{b}-{l}", "{l}", "{l}-{b}", "{b}{l}", "secure-{b}", "{b}.com", "www.{b}.com", "{l}/{b}",
    "{b}/{l}", "{r}", "{l}{d}", "{b}{d}", "office365", "owa", "webmail", "mailbox", "outlook",
    "docs", "dropbox", "onedrive", "sharepoint", "adobe", "doc", "file", "invoice", "dhl",
    "{b}/{r}", "{r}/{b}", "auth", "signin", "login", "update", "verification", "customer",
    "myaccount", "cliente", "banking", "online", "support", "ssl", "review", "wells", "chase",
    "https", "http", "https/{b}", "{w}/{b}", "{w}", "{w}{d}", "{w}/{r}", "{p}", "{p}/{w}",
]  # fmt: skip
_KIT_PAGES = [
    "", "/", "/index.php", "/index.html", "/login.php", "/login.html", "/signin.php", "/verify.php",
    "/update.php", "/account.php", "/confirm.html", "/validate.php", "/auth.php", "/sign-in.html",
    "/home.php", "/index.htm", "/secure.php", "/mail.php", "/post.php", "/next.php", "/step1.php",
    "/billing.php", "/card.php", "/otp.php", "/sms.php", "/loading.html", "/success.html",
    "/login.aspx", "/logon.htm", "/webscr.php", "/info.php", "/app/", "/main/", "/en/",
]  # fmt: skip
_PINYIN_PAGES = [
    "/tuikuan/", "/tuikuan.html", "/jiedong/index.html", "/zhanghu/jiedong", "/anquan/index.php",
    "/anquanzhongxin/", "/kefu/", "/kefu.html?id={d}", "/lipei/", "/buchang.html", "/shenhe/",
    "/renzheng/", "/yanzheng.php", "/daikuan/apply", "/butie/lingqu", "/zhongjiang/", "/lingqu.html",
    "/h5/#/pay", "/h5/#/login", "/m/#/home", "/#/pages/index/index", "/tongji.php", "/fanli/",
    "/touzi/licai", "/licai.html", "/app.apk", "/download/app.apk", "/xiazai/{r}.apk", "/dl/",
    "/pc/", "/index/user/login.html", "/mobile/#/", "/?code={d}", "/s/{r}",
]  # fmt: skip
_PLATFORM_PHISH = [
    lambda rng, b, lure: (
        f"storage.googleapis.com/{_rand_label(rng, rng.randint(6, 14))}/{b}-{lure}.html"
    ),
    lambda rng, b, lure: (
        f"firebasestorage.googleapis.com/v0/b/{_name(rng)}-{_hex(rng, 5)}.appspot.com/o/{lure}.html?alt=media&token={_uuid(rng)}"
    ),
    lambda rng, b, lure: f"{_rand_label(rng, 10)}.blob.core.windows.net/{lure}/{b}.html",
    lambda rng, b, lure: (
        f"{_name(rng)}-my.sharepoint.com/:b:/g/personal/{_person(rng)}_{_name(rng)}_com/{_alnum(rng, 30)}"
    ),
    lambda rng, b, lure: f"ipfs.io/ipfs/Qm{_alnum(rng, 44)}?filename={b}-{lure}.html",
    lambda rng, b, lure: f"{_rand_label(rng, 12)}.ipfs.dweb.link/{lure}.html",
    lambda rng, b, lure: f"pub-{_hex(rng, 32)}.r2.dev/{b}.html",
    lambda rng, b, lure: f"{_name(rng)}-{_hex(rng, 4)}.web.app/{lure}",
    lambda rng, b, lure: f"{_name(rng)}.pages.dev/{b}/{lure}",
    lambda rng, b, lure: f"{_name(rng)}.{_rand_label(rng, 6)}.workers.dev/",
    lambda rng, b, lure: f"{b}-{lure}-{_rand_label(rng, 5)}.vercel.app/",
    lambda rng, b, lure: f"{_name(rng)}.wixsite.com/{b}-{lure}",
    lambda rng, b, lure: f"{_name(rng)}{_digits(rng, 3)}.weebly.com/",
    lambda rng, b, lure: f"{b}{lure}{_digits(rng, 2)}.000webhostapp.com/{lure}.php",
    lambda rng, b, lure: f"{_rand_label(rng, 8)}.ngrok-free.app/{b}/{lure}",
    lambda rng, b, lure: f"{_name(rng)}.github.io/{b}-{lure}/",
    lambda rng, b, lure: f"{b}-{lure}.glitch.me/",
    lambda rng, b, lure: f"{_name(rng)}.duckdns.org/{lure}",
    lambda rng, b, lure: (
        f"{b}{rng.choice(['', '-'])}{lure}.{rng.choice(['ddns.net', 'hopto.org', 'zapto.org', 'sytes.net', 'no-ip.org', 'serveftp.com', 'myftp.org'])}/"
    ),
    lambda rng, b, lure: f"{_name(rng)}.firebaseapp.com/{lure}.html",
    lambda rng, b, lure: f"{b}-{lure}.herokuapp.com/",
    lambda rng, b, lure: f"{_name(rng)}.godaddysites.com/",
    lambda rng, b, lure: f"{_name(rng)}.square.site/",
    lambda rng, b, lure: f"{_name(rng)}.webflow.io/{lure}",
    lambda rng, b, lure: f"forms.{rng.choice(['gle', 'app'])}/{_alnum(rng, 17)}",
    lambda rng, b, lure: (
        f"{_alnum(rng, 7, False)}.{rng.choice(['wixsite.com/my-site', 'weebly.com/', 'godaddysites.com/', 'webflow.io/', 'yolasite.com/', 'mystrikingly.com/', 'carrd.co/'])}"
    ),
    lambda rng, b, lure: (
        f"{_name(rng)}{_digits(rng, rng.randint(1, 4))}.{rng.choice(sorted(lists().free_hosting))}/{rng.choice(['', _word(rng), _rand_label(rng, 6)])}"
    ),
    lambda rng, b, lure: (
        f"sites.google.com/{rng.choice(['site', 'view'])}/{_word(rng)}{lure}{_digits(rng, 2)}/"
    ),
]
# web-hosting control panels and preview hosts (shared hosting temp addresses)
_HOSTING_WORDS = ["host", "hosting", "server", "srv", "cloud", "vps", "web", "cpanel", "node"]


def _lure(rng: random.Random, L) -> str:
    return rng.choice(L.pinyin_lures) if rng.random() < 0.3 else rng.choice(L.english_lures)


def _email(rng: random.Random) -> str:
    return f"{_person(rng)}@{_name(rng)}.{rng.choice(['com', 'com', 'net', 'org', 'co.uk', 'de', 'cn'])}"


def _phish_tail(rng: random.Random, b: str, lure: str) -> str:
    """Query/fragment tails of phishing kits: victim e-mail, session tokens, tracking ids."""
    r = rng.random()
    if r < 0.5:
        return ""
    if r < 0.6:
        return f"?email={_email(rng)}"
    if r < 0.68:
        return f"#{_b64(rng, _email(rng))}"
    if r < 0.76:
        return f"?cmd=login_submit&id={_hex(rng, 32)}&session={_hex(rng, 32)}"
    if r < 0.82:
        return f"?{rng.choice(['token', 'sid', 'auth', 'key', 'c'])}={_alnum(rng, rng.randint(20, 48))}"
    if r < 0.87:
        return f"?{_b64(rng, _email(rng))}"
    if r < 0.92:
        return f"?{rng.choice(['dispatch', 'session', 'ref'])}={_uuid(rng)}"
    if r < 0.96:
        return f"?{rng.choice(['login', 'verify', 'step', 'page'])}={rng.randint(1, 4)}&{_hex(rng, 16)}"
    return f"?redirect=https://www.{b}.com/"


def _kit_path(rng: random.Random, b: str, lure: str) -> str:
    """A phishing kit's path, usually in a hacked CMS's folders."""
    fill = {
        "w": _word(rng), "w2": _word(rng), "r": _rand_label(rng, rng.randint(5, 14)),
        "y": str(rng.randint(2015, 2026)), "m": f"{rng.randint(1, 12):02d}",
    }  # fmt: skip
    parts = []
    r = rng.random()
    if r < 0.55:
        parts.append(rng.choice(_CMS).format(**fill))
    elif r < 0.7:
        parts.append(_rand_label(rng, rng.randint(4, 16)))
    kit = rng.choice(_KIT_DIRS).format(
        b=b,
        l=lure,
        r=_rand_label(rng, rng.randint(5, 12)),
        d=_digits(rng, rng.randint(2, 4)),
        w=_word(rng),
        p=_pinyin(rng),
    )
    parts.append(kit)
    if rng.random() < 0.35:
        parts.append(
            rng.choice([_hex(rng, 32), _rand_label(rng, rng.randint(6, 20)), _alnum(rng, 10), lure])
        )
    return "/" + "/".join(parts) + rng.choice(_KIT_PAGES) + _phish_tail(rng, b, lure)


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


_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "x": "х", "y": "у"}


def _punycode(t: str, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(t) if c in _HOMOGLYPHS]
    if not idx:
        return t
    i = rng.choice(idx)
    u = t[:i] + _HOMOGLYPHS[t[i]] + t[i + 1 :]
    try:
        return u.encode("idna").decode("ascii")
    except UnicodeError:
        return t


# services phishing imitates beyond the brand list (file sharing, mail, wallets, marketplaces)
_TARGETS = [
    "office", "sharepoint", "onedrive", "webmail", "outlook", "docs", "drive", "wetransfer",
    "voicemail", "fax", "excel", "pdf", "invoice", "bank", "netbank", "post", "mail", "cloud",
    "wallet", "metamask", "ledger", "crypto", "olx", "mercadopago", "santander", "bbva",
    "rabobank", "ing", "postbank", "bradesco", "itau", "caixa", "lloyds", "barclays", "natwest",
    "royalmail", "laposte", "correos", "auspost", "canadapost", "swisspost", "orange", "sfr",
    "vodafone", "telstra", "aol", "roblox", "runescape", "pubg", "discord", "zoom", "webex",
]  # fmt: skip


def _phish(rng: random.Random, brands: list[Brand], L) -> tuple[str, bool]:
    """A phishing URL, and whether its host is an innocent (hacked) ordinary site."""
    br = rng.choice(brands)
    b = br.token if rng.random() < 0.7 else rng.choice(_TARGETS)
    lure = _lure(rng, L)
    risky = sorted(L.risky_tlds)
    tld = rng.choice(risky) if rng.random() < 0.4 else _tld(rng)
    www = "www." if rng.random() < 0.2 else ""
    r = rng.random()
    path: str | None = None
    if r < 0.22:  # hacked ordinary site: the host says nothing, the kit path does
        host = rng.choice(_SUBS_BENIGN) + _name(rng) + "." + _tld(rng)
    elif r < 0.38:  # brand in a sub-domain or label on an unrelated host
        d = rng.choice(br.domains)
        host = rng.choice(
            [
                f"{b}.{d}.{_name(rng)}.{tld}",
                f"{d}.{lure}.{_rand_label(rng, rng.randint(4, 10))}.{tld}",
                f"{lure}-{b}.{_name(rng)}.{tld}",
                f"{b}-{lure}.{_name(rng)}.{tld}",
                f"{www}{b}{rng.choice(['-', ''])}{lure}.{tld}",
                f"{www}{lure}{rng.choice(['-', ''])}{b}.{tld}",
                f"{b}{rng.choice(['-', ''])}{_word(rng)}.{tld}",
                f"{www}{b}-{lure}-{_rand_label(rng, rng.randint(3, 8))}.{tld}",
                f"{b}.{_rand_label(rng, rng.randint(6, 12))}.{tld}",
                f"{rng.choice(['secure', 'login', 'account', 'verify', 'update'])}.{b}.{_name(rng)}.{tld}",
            ]
        )
    elif r < 0.52:  # free hosting, web-app platforms, cloud storage, dynamic DNS
        u = rng.choice(_PLATFORM_PHISH)(rng, b, lure)
        if rng.random() < 0.5:
            u += _phish_tail(rng, b, lure)
        return rng.choice(_SCHEMES) + u, False
    elif r < 0.58:  # IP host
        host = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        if rng.random() < 0.3:
            host += f":{rng.choice([8080, 8000, 8443, 2095, 2096, 81, 8888])}"
    elif r < 0.65:  # random labels
        host = www + _rand_label(rng, rng.randint(8, 22)) + "." + tld
        if rng.random() < 0.3:
            host = _rand_label(rng, rng.randint(4, 10)) + "." + host
    elif r < 0.72:  # look-alike / punycode
        host = (
            www
            + (_punycode(b, rng) if rng.random() < 0.25 else _typo(rng, b))
            + "."
            + rng.choice(["com", "cn", "com.cn", "net", "org", tld])
        )
    elif r < 0.77:  # shared-hosting preview / temp hosts
        host = rng.choice(
            [
                f"{rng.choice(['u', 'srv', 'host', 'vps', 'cp'])}{_digits(rng, rng.randint(3, 7))}.{rng.choice(_HOSTING_WORDS)}{_digits(rng, 2)}.{_name(rng)}{rng.choice(_HOSTING_WORDS)}.{_tld(rng)}",
                f"{_name(rng)}.{rng.choice(_HOSTING_WORDS)}{rng.randint(1, 400)}.{_name(rng)}.{_tld(rng)}",
                f"{_rand_label(rng, 8)}.{_name(rng)}{rng.choice(_HOSTING_WORDS)}.com",
                f"{_name(rng)}{_digits(rng, 3)}.{rng.choice(_HOSTING_WORDS)}.{_tld(rng)}",
            ]
        )
    elif r < 0.83:  # lure words + ordinary words (generic scam domains)
        host = www + rng.choice(
            [
                f"{lure}-{_word(rng)}.{tld}",
                f"{lure}{_word(rng)}{rng.choice(['', _digits(rng, 2)])}.{tld}",
                f"{_word(rng)}-{lure}-{_word(rng)}.{tld}",
                f"{lure}.{_name(rng)}.{tld}",
                f"{_word(rng)}{lure}.{tld}",
                f"{lure}-{_rand_label(rng, 6)}.{tld}",
            ]
        )
    elif r < 0.90:  # Chinese fraud lures in pinyin (refund, unfreeze, loan, rebates ...)
        p = rng.choice(L.pinyin_lures)
        host = www + rng.choice(
            [
                f"{b}{p}.{tld}",
                f"{b}-{p}.{tld}",
                f"{p}{_digits(rng, rng.randint(2, 4))}.{tld}",
                f"{p}{_pinyin(rng)}.{tld}",
                f"{_pinyin(rng)}{p}.{rng.choice(['cc', 'top', 'vip', 'xyz', 'com', 'cn', 'shop', 'icu'])}",
                f"{rng.choice(['m', 'h5', 'wap', 'app'])}.{p}{_rand_label(rng, 4)}.{tld}",
                f"{_rand_label(rng, 5)}.{_pinyin(rng)}{_digits(rng, 3)}.{rng.choice(['cc', 'top', 'vip', 'xyz'])}",
            ]
        )
        path = rng.choice(_PINYIN_PAGES).format(d=_digits(rng, 6), r=_rand_label(rng, 6))
    elif r < 0.94:  # shorteners
        host = rng.choice(sorted(L.shorteners))
        path = "/" + _alnum(rng, rng.randint(5, 8))
    elif r < 0.97:  # userinfo: the brand before '@', the real host after it
        host = f"{rng.choice(br.domains)}{rng.choice(['', '-' + lure, '.' + lure])}@{rng.choice([_name(rng) + '.' + tld, '.'.join(str(rng.randint(1, 254)) for _ in range(4))])}"
    else:  # ordinary-word host on a risky TLD, bare or with a kit path
        host = www + _name(rng) + "." + rng.choice(risky)
    if path is None:
        q = rng.random()
        if q < 0.16:
            path = rng.choice(["", "/", "", "/index.html", "/index.php"])
        elif q < 0.22:  # short opaque folders on a hacked host (the lure sits behind them)
            path = "/" + rng.choice(
                [_rand_label(rng, rng.randint(3, 8)), _word(rng)[:4] + rng.choice("xzqsk"),
                 _alnum(rng, rng.randint(5, 9)), _word(rng) + _digits(rng, rng.randint(2, 5))]
            ) + rng.choice(["", "/", "/", "/index.php", "/home", "/login"])  # fmt: skip
        elif q < 0.86:
            path = _kit_path(rng, b, lure)
        else:
            path = rng.choice(
                [
                    f"/{lure}.php",
                    f"/{lure}.html",
                    f"/{b}.html",
                    f"/{lure}/{b}/",
                    f"/{_rand_label(rng, rng.randint(6, 30))}",
                    f"/{_hex(rng, 32)}/{rng.choice(['index.php', 'login.php', ''])}",
                    f"/{rng.choice(['redirect', 'go', 'r', 'link'])}.php?{rng.choice(['url', 'u', 'to'])}=http://{_name(rng)}.{tld}/{lure}",
                    f"/?{rng.choice(['a', 'c', 'e', 'u'])}={_b64(rng, _email(rng))}",
                    f"/{_word(rng)}/{lure}/{_rand_label(rng, 8)}.html",
                    f"/{b}/{_title(rng, 1, 3)}/{lure}.php",
                ]
            ) + (_phish_tail(rng, b, lure) if rng.random() < 0.3 else "")
    return rng.choice(_SCHEMES) + host + path, r < 0.22


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, int]]:
    """Yield ``n`` (url, label) pairs, label 1 = risky; the two classes about equally often."""
    for u, y, _ in generate_with_hosts(n, seed):
        yield u, y


def generate_with_hosts(n: int, seed: int = 0) -> Iterator[tuple[str, int, int]]:
    """As :func:`generate`, plus the label of the URL's bare host: 0 for a kit on a hacked site."""
    rng = random.Random(seed)
    L = lists()
    brands = L.brands
    officials = sorted(L.official)
    for _ in range(n):
        if rng.random() < 0.5:
            u = _benign(rng, officials)
            yield rng.choice(_SCHEMES) + u, 0, 0
        else:
            u, hacked = _phish(rng, brands, L)
            yield u, 1, 0 if hacked else 1
