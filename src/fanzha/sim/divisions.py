"""Administrative divisions of Sichuan (四川省, 51): real 6-digit codes of cities and counties.

The table covers all 21 prefecture-level divisions and most of their counties/districts (GB/T 2260
codes as of 2021). ``POP_10K`` is the approximate resident population of each city (2020 census,
in 10 000s); it is split over the city's counties with districts weighted higher than counties.
Police stations are generated per county (派出所), named after the county.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PROVINCE_CODE = "510000"
PROVINCE_NAME = "四川省"

# city code -> (name, population in 10 000s)
CITIES: dict[str, tuple[str, float]] = {
    "510100": ("成都市", 2094),
    "510300": ("自贡市", 249),
    "510400": ("攀枝花市", 121),
    "510500": ("泸州市", 425),
    "510600": ("德阳市", 346),
    "510700": ("绵阳市", 487),
    "510800": ("广元市", 231),
    "510900": ("遂宁市", 281),
    "511000": ("内江市", 314),
    "511100": ("乐山市", 316),
    "511300": ("南充市", 561),
    "511400": ("眉山市", 296),
    "511500": ("宜宾市", 459),
    "511600": ("广安市", 325),
    "511700": ("达州市", 539),
    "511800": ("雅安市", 143),
    "511900": ("巴中市", 271),
    "512000": ("资阳市", 231),
    "513200": ("阿坝藏族羌族自治州", 82),
    "513300": ("甘孜藏族自治州", 111),
    "513400": ("凉山彝族自治州", 486),
}

# county code -> name (the city is the first four digits + "00")
COUNTIES: dict[str, str] = {
    # 成都市
    "510104": "锦江区", "510105": "青羊区", "510106": "金牛区", "510107": "武侯区",
    "510108": "成华区", "510112": "龙泉驿区", "510113": "青白江区", "510114": "新都区",
    "510115": "温江区", "510116": "双流区", "510117": "郫都区", "510118": "新津区",
    "510121": "金堂县", "510129": "大邑县", "510131": "蒲江县", "510181": "都江堰市",
    "510182": "彭州市", "510183": "邛崃市", "510184": "崇州市", "510185": "简阳市",
    # 自贡市
    "510302": "自流井区", "510303": "贡井区", "510304": "大安区", "510311": "沿滩区",
    "510321": "荣县", "510322": "富顺县",
    # 攀枝花市
    "510402": "东区", "510403": "西区", "510411": "仁和区", "510421": "米易县",
    "510422": "盐边县",
    # 泸州市
    "510502": "江阳区", "510503": "纳溪区", "510504": "龙马潭区", "510521": "泸县",
    "510522": "合江县", "510524": "叙永县", "510525": "古蔺县",
    # 德阳市
    "510603": "旌阳区", "510604": "罗江区", "510623": "中江县", "510681": "广汉市",
    "510682": "什邡市", "510683": "绵竹市",
    # 绵阳市
    "510703": "涪城区", "510704": "游仙区", "510705": "安州区", "510722": "三台县",
    "510723": "盐亭县", "510725": "梓潼县", "510726": "北川羌族自治县", "510727": "平武县",
    "510781": "江油市",
    # 广元市
    "510802": "利州区", "510811": "昭化区", "510812": "朝天区", "510821": "旺苍县",
    "510822": "青川县", "510823": "剑阁县", "510824": "苍溪县",
    # 遂宁市
    "510903": "船山区", "510904": "安居区", "510921": "蓬溪县", "510923": "大英县",
    "510981": "射洪市",
    # 内江市
    "511002": "市中区", "511011": "东兴区", "511024": "威远县", "511025": "资中县",
    "511083": "隆昌市",
    # 乐山市
    "511102": "市中区", "511111": "沙湾区", "511112": "五通桥区", "511113": "金口河区",
    "511123": "犍为县", "511124": "井研县", "511126": "夹江县", "511129": "沐川县",
    "511132": "峨边彝族自治县", "511133": "马边彝族自治县", "511181": "峨眉山市",
    # 南充市
    "511302": "顺庆区", "511303": "高坪区", "511304": "嘉陵区", "511321": "南部县",
    "511322": "营山县", "511323": "蓬安县", "511324": "仪陇县", "511325": "西充县",
    "511381": "阆中市",
    # 眉山市
    "511402": "东坡区", "511403": "彭山区", "511421": "仁寿县", "511423": "洪雅县",
    "511424": "丹棱县", "511425": "青神县",
    # 宜宾市
    "511502": "翠屏区", "511503": "南溪区", "511504": "叙州区", "511523": "江安县",
    "511524": "长宁县", "511525": "高县", "511526": "珙县", "511527": "筠连县",
    "511528": "兴文县", "511529": "屏山县",
    # 广安市
    "511602": "广安区", "511603": "前锋区", "511621": "岳池县", "511622": "武胜县",
    "511623": "邻水县", "511681": "华蓥市",
    # 达州市
    "511702": "通川区", "511703": "达川区", "511722": "宣汉县", "511723": "开江县",
    "511724": "大竹县", "511725": "渠县", "511781": "万源市",
    # 雅安市
    "511802": "雨城区", "511803": "名山区", "511822": "荥经县", "511823": "汉源县",
    "511824": "石棉县", "511825": "天全县", "511826": "芦山县", "511827": "宝兴县",
    # 巴中市
    "511902": "巴州区", "511903": "恩阳区", "511921": "通江县", "511922": "南江县",
    "511923": "平昌县",
    # 资阳市
    "512002": "雁江区", "512021": "安岳县", "512022": "乐至县",
    # 阿坝藏族羌族自治州
    "513201": "马尔康市", "513221": "汶川县", "513222": "理县", "513223": "茂县",
    "513224": "松潘县", "513225": "九寨沟县", "513226": "金川县", "513227": "小金县",
    "513228": "黑水县", "513231": "阿坝县", "513232": "若尔盖县", "513233": "红原县",
    # 甘孜藏族自治州
    "513301": "康定市", "513322": "泸定县", "513323": "丹巴县", "513324": "九龙县",
    "513325": "雅江县", "513326": "道孚县", "513327": "炉霍县", "513328": "甘孜县",
    "513330": "德格县", "513332": "石渠县", "513334": "理塘县", "513335": "巴塘县",
    # 凉山彝族自治州
    "513401": "西昌市", "513402": "会理市", "513422": "木里藏族自治县", "513423": "盐源县",
    "513424": "德昌县", "513426": "会东县", "513427": "宁南县", "513428": "普格县",
    "513429": "布拖县", "513430": "金阳县", "513431": "昭觉县", "513432": "喜德县",
    "513433": "冕宁县", "513434": "越西县", "513435": "甘洛县", "513436": "美姑县",
    "513437": "雷波县",
}  # fmt: skip

STATION_SUFFIXES = (
    "城关", "东街", "西街", "南街", "北街", "新华", "人民路", "建设路", "滨江", "河东",
    "河西", "高新", "站前", "中山路", "解放路", "文化路", "光明", "和平", "新城", "开发区",
)  # fmt: skip


@dataclass(frozen=True)
class Region:
    """The division table as arrays indexed by county position."""

    county_codes: list[str]
    county_names: list[str]
    city_codes: list[str]
    city_names: list[str]
    weights: np.ndarray  # population share per county, sums to 1
    station_ids: list[str]  # all stations, grouped by county
    station_names: list[str]
    station_county: np.ndarray  # county index of each station
    county_station_start: np.ndarray  # first station index per county
    county_station_count: np.ndarray

    @property
    def n_counties(self) -> int:
        return len(self.county_codes)


def city_of(county_code: str) -> str:
    return county_code[:4] + "00"


def build_region() -> Region:
    codes = sorted(COUNTIES)
    names = [COUNTIES[c] for c in codes]
    cities = [city_of(c) for c in codes]
    raw = np.array([1.6 if n.endswith("区") else 1.0 for n in names])
    weights = np.zeros(len(codes))
    for city, (_, pop) in CITIES.items():
        mask = np.array([c == city for c in cities])
        weights[mask] = raw[mask] / raw[mask].sum() * pop
    weights /= weights.sum()
    st_ids: list[str] = []
    st_names: list[str] = []
    st_county: list[int] = []
    starts, counts = [], []
    for i, (code, name) in enumerate(zip(codes, names, strict=True)):
        # bigger counties get more stations (3..20)
        n = int(np.clip(round(weights[i] * 2500), 3, len(STATION_SUFFIXES)))
        starts.append(len(st_ids))
        counts.append(n)
        for j in range(n):
            st_ids.append(f"{code}{j + 1:02d}")
            st_names.append(
                f"{CITIES[city_of(code)][0]}公安局{name}分局{STATION_SUFFIXES[j]}派出所"
            )
            st_county.append(i)
    return Region(
        county_codes=codes,
        county_names=names,
        city_codes=cities,
        city_names=[CITIES[c][0] for c in cities],
        weights=weights,
        station_ids=st_ids,
        station_names=st_names,
        station_county=np.array(st_county, dtype=np.int32),
        county_station_start=np.array(starts, dtype=np.int32),
        county_station_count=np.array(counts, dtype=np.int32),
    )
