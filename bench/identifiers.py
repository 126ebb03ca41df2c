"""Identifier normalisation throughput: values/s of ``normalize_many`` per kind.

Synthetic raw values in mixed real-world forms (prefixes, separators, full-width digits) for
mobile numbers, auto-detected phones, bank cards and resident IDs, plus every URL of the shared
phishing/benign URL sets when present (``../shared/datasets/urls`` or ``FANZHA_DATASETS``), which
also checks that each normalised URL normalises to itself. Baseline in the same run: the cost of
NFKC folding alone (``unicodedata.normalize`` + strip) over the same values.

Run: ``.venv/bin/python bench/identifiers.py [--size 200000]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanzha.domain.identifiers import normalize, normalize_many  # noqa: E402
from fanzha.domain.identifiers._base import luhn_check_digit  # noqa: E402
from fanzha.domain.identifiers.resident_id import check_char  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("FANZHA_DATASETS", ROOT.parent / "shared" / "datasets"))


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def mobiles(n: int, rng: random.Random) -> list[str]:
    forms = [
        lambda v: v,
        lambda v: f"+86 {v[:3]} {v[3:7]} {v[7:]}",
        lambda v: f"0086-{v}",
        _fullwidth,
    ]
    prefixes = ["138", "139", "186", "170", "192", "199", "147", "165"]
    return [
        rng.choice(forms)(rng.choice(prefixes) + f"{rng.randrange(10**8):08d}") for _ in range(n)
    ]


def phones(n: int, rng: random.Random) -> list[str]:
    out = mobiles(n // 2, rng)
    for _ in range(n - len(out)):
        r = rng.random()
        if r < 0.4:
            out.append(f"0755-{rng.randrange(2 * 10**7, 10**8)}")
        elif r < 0.7:
            out.append(f"+855 {rng.randrange(10**7, 10**8)}")
        else:
            out.append(rng.choice(["95588", "96110", "10086", "400-810-8888"]))
    return out


def cards(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        payload = "622202" + f"{rng.randrange(10**12):012d}"
        card = payload + luhn_check_digit(payload)
        out.append(" ".join(card[i : i + 4] for i in range(0, len(card), 4)))
    return out


def resident_ids(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        body = (
            f"440305{rng.randrange(1950, 2005)}{rng.randrange(1, 13):02d}"
            f"{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}"
        )
        out.append(body + check_char(body))
    return out


def dataset_urls() -> list[str]:
    base = DATASETS / "urls"
    if not base.exists():
        return []
    urls: list[str] = []
    with (base / "esdaung_phish" / "balanced_train.csv").open(encoding="utf-8") as fh:
        urls += [r["url"] for r in csv.DictReader(fh)]
    with (base / "shreyagopal" / "2.online-valid.csv").open(encoding="utf-8") as fh:
        urls += [r["url"] for r in csv.DictReader(fh)]
    with (base / "shreyagopal" / "1.Benign_list_big_final.csv").open(
        encoding="utf-8", errors="replace"
    ) as fh:
        urls += [line.strip() for line in fh if line.strip()]
    return urls


def run(kind: str, values: list[str]) -> None:
    t0 = time.perf_counter()
    folded = [unicodedata.normalize("NFKC", v).strip() for v in values]
    t_fold = time.perf_counter() - t0
    t0 = time.perf_counter()
    out, errors = normalize_many(kind, values)
    dt = time.perf_counter() - t0
    bad = sum(e is not None for e in errors)
    print(
        f"{kind:12s} {len(values):>8,d} values  {len(values) / dt:>10,.0f}/s  "
        f"errors {bad:>6,d}  (NFKC fold alone {len(folded) / t_fold:,.0f}/s, "
        f"ratio {dt / t_fold:.1f}x)"
    )
    if kind == "url":
        drift = sum(1 for v in out if v is not None and normalize("url", v).value != v)
        print(f"{'':12s} normalised URLs that do not normalise to themselves: {drift}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=200_000, help="synthetic values per kind")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    run("mobile", mobiles(args.size, rng))
    run("phone", phones(args.size, rng))
    run("bank_card", cards(args.size, rng))
    run("resident_id", resident_ids(args.size, rng))
    urls = dataset_urls()
    if urls:
        run("url", urls)
    else:
        print(f"url: skipped, no datasets at {DATASETS}")


if __name__ == "__main__":
    main()
