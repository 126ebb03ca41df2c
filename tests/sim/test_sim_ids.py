import numpy as np

from fanzha.sim import ids
from fanzha.sim.divisions import CITIES, COUNTIES, build_region


def test_resident_id_check_digit_known_example():
    # GB 11643 worked example: 11010519491231002X
    assert ids.resident_id_valid("11010519491231002X")
    assert not ids.resident_id_valid("110105194912310021")


def test_generated_resident_ids_are_valid_and_unique():
    rng = np.random.default_rng(0)
    n = 5000
    county = np.full(n, 510104)
    birth = np.datetime64("1990-01-01") + rng.integers(0, 30, n).astype("timedelta64[D]")
    male = rng.random(n) < 0.5
    out = ids.resident_ids(county, birth, male, rng).to_pylist()
    assert len(set(out)) == n
    for rid, m in zip(out[:500], male[:500], strict=True):
        assert ids.resident_id_valid(rid)
        assert rid.startswith("510104199001")
        assert int(rid[16]) % 2 == (1 if m else 0)


def test_cards_and_imeis_pass_luhn_with_real_bins():
    rng = np.random.default_rng(1)
    banks = rng.integers(0, len(ids.BANK_CODES), 2000)
    cards = ids.card_numbers(banks, rng)
    for c, b in zip(cards[:300], banks[:300], strict=True):
        s = str(c)
        name, bins, length = ids.BANKS[ids.BANK_CODES[b]]
        assert len(s) == length
        assert int(s[:6]) in bins
        assert ids.luhn_valid(s)
    assert not ids.luhn_valid(str(cards[0] + 1 if cards[0] % 10 != 9 else cards[0] - 1))
    for imei in ids.imeis(300, rng):
        assert len(str(imei)) == 15 and ids.luhn_valid(str(imei))


def test_phone_numbers_use_operator_prefixes():
    rng = np.random.default_rng(2)
    ops = rng.integers(0, len(ids.OPERATORS), 3000)
    nums = ids.phone_numbers(ops, rng)
    assert len(np.unique(nums)) == len(nums)
    for v, o in zip(nums[:500], ops[:500], strict=True):
        s = str(v)
        assert len(s) == 11
        assert int(s[:3]) in ids.OPERATOR_PREFIXES[ids.OPERATORS[o]]


def test_region_is_one_province_with_real_codes():
    r = build_region()
    assert len(CITIES) == 21 and r.n_counties >= 100
    assert all(c.startswith("51") and len(c) == 6 for c in r.county_codes)
    assert all(c[:4] + "00" in CITIES for c in COUNTIES)
    assert COUNTIES["510107"] == "武侯区" and CITIES["510700"][0] == "绵阳市"
    assert abs(r.weights.sum() - 1) < 1e-9
    # Chengdu holds about a quarter of Sichuan's people
    chengdu = sum(w for c, w in zip(r.county_codes, r.weights, strict=True) if c[:4] == "5101")
    assert 0.2 < chengdu < 0.3
    assert len(set(r.station_ids)) == len(r.station_ids)
