"""Vectorised generators of realistic identifiers: resident IDs, phone numbers, bank cards, IMEIs.

All functions take a numpy ``Generator`` and return numpy/Arrow arrays; none loops per item, so a
province's millions of identifiers are made in a second. Check digits are real (GB 11643 for
resident IDs, Luhn for cards and IMEIs) so validators in the platform accept them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# --- check digits -------------------------------------------------------------------------------

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.array(list("10X98765432"))


def _digits_lsf(values: np.ndarray, width: int):
    """The low ``width`` decimal digits as int32 arrays, least significant first.

    Nine digits at a time in int32 (a scalar division there is several times cheaper than in
    int64), one contiguous array per digit (no strided (N, width) matrix).
    """
    x = np.asarray(values, dtype=np.int64)
    done = 0
    while done < width:
        k = min(9, width - done)
        lo = (x % 10**k).astype(np.int32)
        for _ in range(k):
            q = lo // 10
            yield lo - q * 10
            lo = q
        done += k
        if done < width:
            x = x // 10**k


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """(N, width) matrix of decimal digits, most significant first."""
    cols = list(_digits_lsf(values, width))[::-1]
    if not cols:
        return np.empty((len(values), 0), dtype=np.int64)
    return np.stack(cols, axis=1).astype(np.int64)


def resident_id_check(body17: np.ndarray) -> np.ndarray:
    """GB 11643-1999 check character for 17-digit bodies (int64)."""
    s = np.zeros(len(body17), dtype=np.int64)
    for i, d in enumerate(_digits_lsf(body17, 17)):
        s += d * int(_ID_WEIGHTS[16 - i])
    return _ID_CHECK[s % 11]


def resident_id_valid(rid: str) -> bool:
    if len(rid) != 18 or not rid[:17].isdigit():
        return False
    body = np.array([int(rid[:17])], dtype=np.int64)
    return bool(resident_id_check(body)[0] == rid[17].upper())


def luhn_check_digit(body: np.ndarray, width: int) -> np.ndarray:
    """Luhn check digit for ``width``-digit bodies, so that body*10+check passes Luhn."""
    total = np.zeros(len(body), dtype=np.int32)
    for i, d in enumerate(_digits_lsf(body, width)):
        if i % 2 == 0:  # doubled: the check digit itself will sit to the right
            d = d * 2
            d -= 9 * (d > 9)
        total += d
    return ((10 - total % 10) % 10).astype(np.int64)


def luhn_valid(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def dup_mask(values: np.ndarray) -> np.ndarray:
    """True for every occurrence of a value after its first (sort-based; fast for int64).

    A plain sort first (SIMD, ~10x a stable argsort) answers the common "no duplicates" case;
    otherwise only the rows holding a repeated value (found by binary search among the repeated
    values) are argsorted and, per run of equal values, the smallest index is the first.
    """
    dup = np.zeros(len(values), dtype=bool)
    if len(values) < 2:
        return dup
    srt = np.sort(values)
    same = srt[1:] == srt[:-1]
    if not same.any():
        return dup
    # only rows whose value occurs more than once take part in the argsort (usually a few)
    repeated = srt[1:][same]
    repeated = repeated[np.r_[True, repeated[1:] != repeated[:-1]]]
    pos = np.minimum(np.searchsorted(repeated, values), len(repeated) - 1)
    cand = np.flatnonzero(repeated[pos] == values)
    sub = values[cand]
    order = np.argsort(sub)
    ordered = sub[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    dup[cand] = True
    dup[cand[np.minimum.reduceat(order, starts)]] = False
    return dup


def stable_argsort(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for integer keys, several times faster.

    When (key range × row count) fits in 63 bits, each key is packed with its row number and the
    packed values (all distinct) are sorted with numpy's SIMD sort; the row numbers in that order
    are exactly the stable order. Otherwise falls back to the stable argsort.
    """
    n = len(keys)
    if n < 2:
        return np.arange(n, dtype=np.intp)
    keys = np.asarray(keys)
    lo, hi = int(keys.min()), int(keys.max())
    bits = (n - 1).bit_length()
    if (hi - lo).bit_length() + bits > 62:
        return np.argsort(keys, kind="stable")
    packed = ((keys.astype(np.int64) - lo) << bits) | np.arange(n, dtype=np.int64)
    packed.sort()
    return (packed & ((1 << bits) - 1)).astype(np.intp)


def lexsort2(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """``np.lexsort((secondary, primary))`` for integer keys: one packed key, an unstable
    argsort, and the stable sort only if two rows tie on both keys."""
    if len(primary) < 2:
        return np.lexsort((secondary, primary))
    p = primary.astype(np.int64) - int(primary.min())
    q = secondary.astype(np.int64) - int(secondary.min())
    qb = int(q.max()).bit_length()
    if int(p.max()).bit_length() + qb > 62:
        return np.lexsort((secondary, primary))
    key = (p << qb) | q
    order = np.argsort(key)
    k = key[order]
    if (k[1:] == k[:-1]).any():
        return np.argsort(key, kind="stable")
    return order


def pick(values: list[str], idx: np.ndarray) -> pa.Array:
    """values[idx] as an Arrow string array (a C-level gather, no per-row Python)."""
    return pa.array(values, pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def const(value: str, n: int) -> pa.Array:
    return pick([value], np.zeros(n, dtype=np.int64))


def to_str(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values, type=pa.int64()), pa.string())


# --- resident IDs -------------------------------------------------------------------------------


def resident_ids(
    county_codes: np.ndarray, birth: np.ndarray, male: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """18-digit IDs: county code + YYYYMMDD + 3-digit sequence (odd = male) + check character.

    ``birth`` is datetime64[D]. Sequences are made unique per (county, birth date) by construction
    from a random permutation; duplicates are possible only beyond 500 people per county per day.
    """
    n = len(birth)
    d = birth.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y).astype(np.int64) + 1
    day = (d - m).astype(np.int64) + 1
    ymd_int = year * 10_000 + month * 100 + day
    seq = rng.integers(0, 500, size=n, dtype=np.int64) * 2 + np.where(male, 1, 0)
    body = county_codes.astype(np.int64) * 10**11 + ymd_int * 1000 + seq
    # de-duplicate bodies (rare): bump the sequence by 2 until unique
    for _ in range(50):
        dup = dup_mask(body)
        if not dup.any():
            break
        body[dup] = body[dup] - (body[dup] % 1000) + ((body[dup] % 1000 + 2) % 1000)
    check = resident_id_check(body)
    return pc.binary_join_element_wise(to_str(body), pa.array(check), "")


# --- phone numbers ------------------------------------------------------------------------------

# operator -> 3-digit prefixes (number segments allocated by MIIT)
OPERATOR_PREFIXES: dict[str, list[int]] = {
    "china_mobile": [134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 157, 158, 159, 178, 182,
                     183, 184, 187, 188, 195, 198],
    "china_unicom": [130, 131, 132, 145, 155, 156, 166, 175, 176, 185, 186, 196],
    "china_telecom": [133, 149, 153, 173, 177, 180, 181, 189, 190, 191, 193, 199],
    "china_broadnet": [192],
    "virtual": [170, 171, 162, 165, 167],
}  # fmt: skip
OPERATOR_ORG = {
    "china_mobile": "CMCC-SC",
    "china_unicom": "CUCC-SC",
    "china_telecom": "CTCC-SC",
    "china_broadnet": "CBN-SC",
    "virtual": "MVNO",
    "foreign": "INTL-GW",
}
OPERATORS = ["china_mobile", "china_unicom", "china_telecom", "china_broadnet", "virtual"]


def phone_numbers(operator_idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """11-digit mobile numbers (int64) for operator indices into ``OPERATORS``; unique."""
    n = len(operator_idx)
    out = np.empty(n, dtype=np.int64)
    for k, op in enumerate(OPERATORS):
        m = operator_idx == k
        cnt = int(m.sum())
        if cnt == 0:  # a size-0 draw leaves the generator's state as it is
            continue
        pref = np.array(OPERATOR_PREFIXES[op], dtype=np.int64)
        out[m] = pref[rng.integers(0, len(pref), cnt)] * 10**8 + rng.integers(0, 10**8, cnt)
    return _unique_fix(out, rng, 10**8)


def _unique_fix(values: np.ndarray, rng: np.random.Generator, span: int) -> np.ndarray:
    for _ in range(100):
        dup = dup_mask(values)
        if not dup.any():
            return values
        values[dup] = values[dup] - values[dup] % span + rng.integers(0, span, dup.sum())
    return values


# --- bank cards ---------------------------------------------------------------------------------

# institution code -> (name, debit BINs, card length). BINs are the issuers' published debit ranges.
BANKS: dict[str, tuple[str, list[int], int]] = {
    "ICBC": ("中国工商银行", [622202, 621226, 621558, 622208], 19),
    "CCB": ("中国建设银行", [621700, 622700, 436742], 19),
    "ABC": ("中国农业银行", [622848, 622845, 621336], 19),
    "BOC": ("中国银行", [621661, 621785, 621790], 19),
    "BOCOM": ("交通银行", [622262, 622260], 19),
    "PSBC": ("中国邮政储蓄银行", [621799, 622188, 621098], 19),
    "CMB": ("招商银行", [622588, 621483, 621485], 16),
    "SCRCU": ("四川农村信用社", [621458, 622169], 19),
    "CDB": ("成都银行", [622134, 621252], 19),
}
BANK_CODES = list(BANKS)
BANK_SHARE = np.array([0.2, 0.17, 0.16, 0.1, 0.06, 0.1, 0.07, 0.1, 0.04])
PAYMENT_INSTITUTIONS = {"ALIPAY": "支付宝", "TENPAY": "财付通(微信支付)"}


def card_numbers(bank_idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Luhn-valid card numbers (int64) with the bank's BINs and length; unique."""
    n = len(bank_idx)
    body = np.empty(n, dtype=np.int64)
    width = np.empty(n, dtype=np.int64)
    for k, code in enumerate(BANK_CODES):
        m = bank_idx == k
        if not m.any():  # a size-0 draw leaves the generator's state as it is
            continue
        _, bins, length = BANKS[code]
        b = np.array(bins, dtype=np.int64)
        span = 10 ** (length - 7)
        body[m] = b[rng.integers(0, len(b), m.sum())] * span + rng.integers(0, span, m.sum())
        width[m] = length - 1
    out = np.empty(n, dtype=np.int64)
    for w in sorted({length - 1 for _, _, length in BANKS.values()}):  # np.unique is slow
        m = width == w
        if m.any():
            out[m] = body[m] * 10 + luhn_check_digit(body[m], w)
    # duplicates are astronomically rare at these spans; keep the first, re-draw the rest
    dup = dup_mask(out)
    if dup.any():
        out[dup] = card_numbers(bank_idx[dup], rng)
    return out


def payment_accounts(n: int, rng: np.random.Generator) -> np.ndarray:
    """Payment-account ids in the Alipay user-id shape (16 digits starting 2088)."""
    return _unique_fix(2088 * 10**12 + rng.integers(0, 10**12, n), rng, 10**12)


# --- devices ------------------------------------------------------------------------------------

# Type allocation codes (first 8 digits) of common handset models in China
TACS = np.array(
    [86891203, 86769104, 86441104, 86254205, 86602305, 86888803, 35325410, 35391110,
     86012404, 86530104, 86718705, 35656210, 86459905, 86134004, 86966606],
    dtype=np.int64,
)  # fmt: skip
SIMBANK_TACS = np.array([86152104, 86575303], dtype=np.int64)  # GSM gateway modules


def imeis(n: int, rng: np.random.Generator, tacs: np.ndarray = TACS) -> np.ndarray:
    """15-digit Luhn-valid IMEIs (int64): TAC + 6-digit serial + check digit; unique."""
    body = tacs[rng.integers(0, len(tacs), n)] * 10**6 + rng.integers(0, 10**6, n)
    body = _unique_fix(body, rng, 10**6)
    return body * 10 + luhn_check_digit(body, 14)
