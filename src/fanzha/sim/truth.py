"""Ground truth and registries, written beside the events (never mixed into them).

Files under ``<out>/truth/`` (column names are a stable contract for the detect room):

- ``people.parquet`` — the population register (what police/operators/banks know by real name).
- ``numbers.parquet`` — every phone number with its real-name holder and SIM source.
- ``accounts.parquet`` — every bank/payment account, its holder, opening balance, mule layer.
- ``devices.parquet`` — every handset/SIM-bank IMEI and its holder.
- ``entities.parquet`` — one label row per entity (person, number, account, url, app, device).
- ``events.parquet`` — one label row per fraudulent event (event_id → role, gang, type, case…).
- ``gangs.parquet``, ``cases.parquet``, ``transcripts.parquet``, ``divisions.parquet``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fanzha.sim import fraud, ids, text
from fanzha.sim.world import (
    ACC_KIND_NAMES,
    ACCOUNT_CLASSES,
    CARD_TYPES,
    EXTERNAL_KINDS,
    ROLE_NAMES,
    World,
)

EVENT_LABEL_COLUMNS = [
    ("event_id", pa.string()),
    ("kind", pa.string()),
    ("role", pa.string()),
    ("stage", pa.string()),
    ("gang_id", pa.int32()),
    ("fraud_type", pa.string()),
    ("case_id", pa.string()),
    ("victim_id", pa.string()),
    ("hop", pa.int32()),
    ("parent_event_id", pa.string()),
    ("amount_fen", pa.int64()),
    ("cashout_method", pa.string()),
]


_LABEL_SCHEMA = pa.schema(EVENT_LABEL_COLUMNS)


def label_rows_to_table(rows: list[dict]) -> pa.Table:
    # from_pylist takes each schema column from the rows (None where a row lacks it) and
    # ignores other keys: no per-row dict copy is needed
    return pa.Table.from_pylist(rows, schema=_LABEL_SCHEMA)


def truth_event_table(state: fraud.FraudState) -> pa.Table:
    """All event labels: earlier days' tables plus the rows not yet converted."""
    return pa.concat_tables([*state.truth_tables, label_rows_to_table(state.truth_events)])


def _date(days: np.ndarray, start) -> pa.Array:
    d = np.datetime64(start, "D") + days.astype("timedelta64[D]")
    return pa.array(d.astype("datetime64[D]"), pa.date32())


def _strs(values: np.ndarray) -> pa.Array:
    """An object/str numpy array as Arrow strings (``astype(str)`` first costs ~15x more)."""
    if values.dtype == object:
        return pa.array(values, type=pa.string())
    return pa.array(values.astype(str), type=pa.string())


def _choose(labels: list[str], conds: list[np.ndarray], default: str, n: int) -> pa.Array:
    """Nested ``np.where`` over string labels, as codes and one Arrow take: the first true
    condition wins, else ``default``."""
    code = np.full(n, len(labels), dtype=np.int64)
    for i in range(len(conds) - 1, -1, -1):
        code[np.asarray(conds[i], dtype=bool)] = i
    return ids.pick([*labels, default], code)


def _pick(strings: pa.Array, idx: np.ndarray) -> pa.Array:
    """strings[idx] with nulls where idx < 0."""
    valid = idx >= 0
    return pc.if_else(
        pa.array(valid), strings.take(np.maximum(idx, 0)), pa.scalar(None, strings.type)
    )


# near-unique columns: a Parquet dictionary there only costs hashing before the writer gives up
_PLAIN_COLUMNS = frozenset({
    "person_id", "name", "primary_number", "primary_account", "number", "imei", "account",
    "bound_phone", "value", "event_id", "parent_event_id", "monthly_income_fen",
    "opening_balance_fen", "text",
})  # fmt: skip


def _write(table: pa.Table, path: Path) -> None:
    dictionary = [c for c in table.column_names if c not in _PLAIN_COLUMNS]
    pq.write_table(table, path, compression="zstd", use_dictionary=dictionary)


class StaticTruth:
    """The truth tables that do not change once the world and the gangs are built (numbers,
    accounts, devices, the people register but for ``is_victim``, and their entity rows).

    :func:`start_truth` builds them and writes ``numbers``/``accounts``/``devices`` on a
    background thread while the days are generated; :func:`write_truth` finishes the rest.
    """

    def __init__(self, tdir: Path, world: World, state: fraud.FraudState) -> None:
        self.tdir = tdir
        self.world = world
        self.state = state
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fanzha-sim-truth")
        self.writes: list = []
        self.final_pool: ThreadPoolExecutor | None = None  # the end's writes, two at a time
        self._built = self.pool.submit(self._build)

    def result(self) -> StaticTruth:
        """Wait for the tables (and raise the background thread's error, if any)."""
        self._built.result()
        return self

    def close(self, raise_error: bool = True) -> None:
        self.pool.shutdown(wait=True)
        if self.final_pool is not None:
            self.final_pool.shutdown(wait=True)
        if raise_error:
            self._built.result()
            for f in self.writes:
                f.result()

    def _emit(self, name: str, kind: str, tab: pa.Table, det: str | None) -> None:
        """Write one world table now (it is freed after) and keep only its entity rows."""
        _write(tab, self.tdir / f"{name}.parquet")
        m = len(tab)
        self.rows[name] = m
        self.entity_parts.append(
            pa.table(
                {
                    "entity_kind": ids.const(kind, m),
                    "value": tab.column(0).combine_chunks(),
                    "label": tab["label"].combine_chunks(),
                    "role": pa.nulls(m, pa.string()),
                    "gang_id": tab["gang_id"].combine_chunks(),
                    "detail": tab[det].combine_chunks() if det else pa.nulls(m, pa.string()),
                }
            )
        )

    def _build(self) -> None:
        w, state = self.world, self.state
        r = w.region
        p = w.people
        n = w.n_people
        role = np.array(ROLE_NAMES, dtype=object)[p["role"]]
        gang = np.full(n, -1, dtype=np.int32)
        for person, (prole, g) in state.person_roles.items():
            role[person] = prole
            gang[person] = g
        self.gang = gang
        self.seller = role == "seller"
        county = p["county"].astype(np.int64)
        n_num = np.bincount(w.numbers["owner"][w.numbers["owner"] >= 0], minlength=n)
        n_acc = np.bincount(w.accounts["owner"][w.accounts["owner"] >= 0], minlength=n)
        # the register's columns in file order; is_victim is inserted after gang_id at the end
        self.people_head = {
            "person_id": w.pid_str,
            "name": _strs(p["name"]),
            "sex": ids.pick(["F", "M"], p["male"].astype(np.int64)),
            "birth_date": pa.array(p["birth"].astype("datetime64[D]"), pa.date32()),
            "age": pa.array(p["age"].astype(np.int32)),
            "county_code": w.county_str.take(county),
            "county_name": pa.array(r.county_names).take(county),
            "city_code": w.city_str.take(county),
            "city_name": pa.array(r.city_names).take(county),
            "station_id": pa.array(r.station_ids).take(p["station"]),
            "station_name": pa.array(r.station_names).take(p["station"]),
            "role": _strs(role),
            "gang_id": pa.array(gang),
        }
        self.people_tail = {
            "primary_number": w.num_str.take(w.primary_number),
            "primary_account": w.acc_str.take(w.primary_account),
            "n_numbers": pa.array(n_num.astype(np.int32)),
            "n_accounts": pa.array(n_acc.astype(np.int32)),
            "monthly_income_fen": pa.array(p["income"]),
        }
        nm = w.numbers
        num_owner = nm["owner"]
        business_num = np.zeros(len(num_owner), dtype=bool)
        bmask = np.isin(p["role"], [1, 2, 3, 4])
        self.bmask = bmask
        business_num[w.primary_number[bmask]] = True
        num_label = _choose(["fraud", "hard_negative"], [nm["gang"] >= 0, business_num], "normal",
                            len(num_owner))  # fmt: skip
        operators = ids.OPERATORS + ["foreign"]
        numbers = pa.table(
            {
                "number": w.num_str,
                "person_id": _pick(w.pid_str, num_owner),
                "operator": ids.pick(operators, nm["operator"]),
                "card_type": ids.pick(CARD_TYPES, nm["card_type"]),
                "issued_date": pc.if_else(
                    pa.array(nm["operator"] == 5),
                    pa.scalar(None, pa.date32()),
                    _date(nm["issued_day"], w.start),
                ),
                "imei": _pick(w.imei_str, nm["device"]),
                "gang_id": pa.array(nm["gang"]),
                "sim_source": ids.pick(fraud.SIM_SOURCES, nm["source"]),
                "outlet": _strs(nm["outlet"]),
                "label": num_label,
            }
        )
        self.rows: dict[str, int] = {}
        self.entity_parts: list[pa.Table] = []
        self._emit("numbers", "number", numbers, "sim_source")
        del numbers
        ac = w.accounts
        layer = np.full(len(ac), -1, dtype=np.int32)
        for g in state.gangs:
            for k, accs in enumerate(g.layers):
                layer[accs] = k + 1
            layer[g.cashout_pay] = 9
        ext = np.isin(ac["kind"], EXTERNAL_KINDS)
        acc_label = _choose(["external", "cashout", "mule"], [ext, layer == 9, ac["gang"] >= 0],
                            "normal", len(ac))  # fmt: skip
        inst_codes = ids.BANK_CODES + list(ids.PAYMENT_INSTITUTIONS)
        inst_idx = np.where(ac["kind"] == 3, len(inst_codes), ac["institution"])
        accounts = pa.table(
            {
                "account": w.acc_str,
                "person_id": _pick(w.pid_str, ac["owner"]),
                "institution": ids.pick([*inst_codes, "ATM"], inst_idx),
                "account_class": ids.pick(
                    [*ACCOUNT_CLASSES, "-"], np.where(ac["class"] < 0, 4, ac["class"])
                ),
                "account_kind": ids.pick(ACC_KIND_NAMES, ac["kind"]),
                "is_external": pa.array(ext),
                "opened_date": pc.if_else(
                    pa.array(ext), pa.scalar(None, pa.date32()), _date(ac["opened_day"], w.start)
                ),
                "bound_phone": _pick(w.num_str, np.where(ext, -1, ac["bound_number"])),
                "opening_balance_fen": pa.array(np.where(ext, 0, ac["opening_balance"])),
                "gang_id": pa.array(ac["gang"]),
                "mule_source": ids.pick(fraud.MULE_SOURCES, np.maximum(ac["source"], 0)),
                "mule_layer": pa.array(layer),
                "outlet": _strs(ac["outlet"]),
                "label": acc_label,
            }
        )
        self._emit("accounts", "account", accounts, "mule_source")
        del accounts
        dv = w.devices
        devices = pa.table(
            {
                "imei": w.imei_str,
                "person_id": _pick(w.pid_str, dv["owner"]),
                "simbank": pa.array(dv["simbank"]),
                "gang_id": pa.array(dv["gang"]),
                "label": ids.pick(["normal", "fraud"], (dv["gang"] >= 0).astype(np.int64)),
            }
        )
        self._emit("devices", "device", devices, None)


def start_truth(out: Path, world: World, state: fraud.FraudState) -> StaticTruth:
    """Begin the truth export once the world and the gangs exist (call before the days run)."""
    tdir = Path(out) / "truth"
    tdir.mkdir(parents=True, exist_ok=True)
    for cols in (world.people, world.numbers, world.accounts, world.devices):
        cols._flush()  # pending appends are concatenated here, not raced on the other thread
    return StaticTruth(tdir, world, state)


def write_truth(
    out: Path, world: World, state: fraud.FraudState, static: StaticTruth | None = None
) -> dict[str, int]:
    """Write every truth file; each big table is written on a second thread while the next is
    built (Arrow's writer releases the GIL). ``static``: from :func:`start_truth` (else built
    now)."""
    if static is None:
        static = start_truth(out, world, state)
    try:
        static.result()
        rows = _finish_truth(static)
    finally:
        static.close()
    return rows


def _finish_truth(static: StaticTruth) -> dict[str, int]:
    w, state, tdir = static.world, static.state, static.tdir
    # the event generation is over: two writers (Arrow's writer releases the GIL) beside this thread
    pool = static.final_pool = ThreadPoolExecutor(
        max_workers=2, thread_name_prefix="fanzha-sim-truth"
    )
    r = w.region
    n = w.n_people
    victim = np.zeros(n, dtype=bool)
    victim[list(state.victims)] = True
    people = pa.table({**static.people_head, "is_victim": pa.array(victim), **static.people_tail})
    static.writes.append(pool.submit(_write, people, tdir / "people.parquet"))
    gang = static.gang
    ent = [
        pa.table(
            {
                "entity_kind": ids.const("person", n),
                "value": people["person_id"],
                "label": _choose(
                    ["fraud", "seller", "victim", "hard_negative"],
                    [gang >= 0, static.seller, victim, static.bmask],
                    "normal",
                    n,
                ),  # fmt: skip
                "role": people["role"],
                "gang_id": people["gang_id"],
                "detail": pa.nulls(n, pa.string()),
            }
        ),
        *static.entity_parts,
    ]
    urls, apps = [], []
    for g in state.gangs:
        for d in g.domains:
            urls.append((d, "fraud", g.gid, ",".join(g.types)))
        for pkg, label, _sha in g.apps:
            apps.append((pkg, "fraud", g.gid, label))
    urls += [(d, "normal", -1, None) for d in text.ORDINARY_DOMAINS]
    apps += [(a, "normal", -1, b) for a, b in text.ORDINARY_APPS]
    for kind, rows in (("url", urls), ("app", apps)):
        ent.append(
            pa.table(
                {
                    "entity_kind": pa.array([kind] * len(rows)),
                    "value": pa.array([x[0] for x in rows]),
                    "label": pa.array([x[1] for x in rows]),
                    "role": pa.nulls(len(rows), pa.string()),
                    "gang_id": pa.array([x[2] for x in rows], pa.int32()),
                    "detail": pa.array([x[3] for x in rows], pa.string()),
                }
            )
        )
    entities = pa.concat_tables(ent)
    events = truth_event_table(state)
    gangs = pa.Table.from_pylist(
        [
            {
                "gang_id": g.gid,
                "fraud_types": ",".join(fraud.PLAYBOOKS[t].ftype.value for t in g.types),
                "playbooks": ",".join(g.types),
                "abroad": g.abroad,
                "base_county": r.county_codes[g.base_county],
                "leader_id": w.pid_str[g.members["leader"][0]].as_py(),
                "n_members": sum(len(v) for v in g.members.values()),
                "n_callers": len(g.callers),
                "n_numbers": sum(len(c) for c in g.callers),
                "n_mule_accounts": sum(len(x) for x in g.layers) + len(g.cashout_pay),
                "domains": ",".join(g.domains),
                "apps": ",".join(a[0] for a in g.apps),
            }
            for g in state.gangs
        ]
    )
    case_schema = pa.schema(
        [
            ("case_id", pa.string()), ("case_ref", pa.string()), ("gang_id", pa.int32()),
            ("fraud_type", pa.string()), ("playbook", pa.string()), ("victim_id", pa.string()),
            ("victim_age", pa.int32()), ("caller_person_id", pa.string()),
            ("first_contact_us", pa.int64()), ("first_payment_us", pa.int64()),
            ("n_payments", pa.int32()), ("loss_fen", pa.int64()), ("rebate_fen", pa.int64()),
            ("reported", pa.bool_()), ("report_us", pa.int64()), ("report_in_window", pa.bool_()),
        ]
    )  # fmt: skip
    cases = pa.Table.from_pylist(state.cases, schema=case_schema)
    for col in ("first_contact_us", "first_payment_us", "report_us"):
        i = cases.schema.get_field_index(col)
        cases = cases.set_column(
            i, col.replace("_us", "_time"), cases[col].cast(pa.timestamp("us", tz="UTC"))
        )
    transcripts = pa.Table.from_pylist(
        state.transcripts,
        schema=pa.schema(
            [("event_id", pa.string()), ("speaker", pa.string()), ("text", pa.string())]
        ),
    )
    divisions = pa.table(
        {
            "station_id": pa.array(r.station_ids),
            "station_name": pa.array(r.station_names),
            "county_code": pa.array(r.county_codes).take(r.station_county),
            "county_name": pa.array(r.county_names).take(r.station_county),
            "city_code": pa.array(r.city_codes).take(r.station_county),
            "city_name": pa.array(r.city_names).take(r.station_county),
        }
    )
    files = {
        "entities": entities,
        "events": events,
        "gangs": gangs,
        "cases": cases,
        "transcripts": transcripts,
        "divisions": divisions,
    }
    for name, table in files.items():
        static.writes.append(pool.submit(_write, table, tdir / f"{name}.parquet"))
    rows = {"people": len(people), **static.rows}
    return rows | {name: len(t) for name, t in files.items()}
