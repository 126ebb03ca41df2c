"""The warning loop: exposures → one open warning per person → task for the responsible unit →
receipt → outcome → feedback, with escalation when a deadline passes.

State machine of a task: dispatched → received → in_progress → done, or → escalated (a new task
for the parent unit replaces it). A warning is open until an outcome closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import and_, insert, select
from sqlalchemy.orm import Session

from fanzha.access.principal import Principal
from fanzha.access.scope import jurisdiction_filter, sees_everything
from fanzha.domain.clock import Clock
from fanzha.domain.identifiers import IdentifierError, hash_normalised, keyed_hash, mask
from fanzha.domain.limits import LIMITS, Limits
from fanzha.domain.taxonomy import WarningLevel
from fanzha.store.tables.warn import (
    OperatorRequest,
    WarnInbox,
    WarningRow,
    WarningSignal,
    WarnLabel,
    WarnTask,
    WarnTaskEvent,
)
from fanzha.warn.dispatch import UnitResolver, assign
from fanzha.warn.engine import WarningState, dimension_names
from fanzha.warn.levels import SIGNAL_KINDS, contributions
from fanzha.warn.sms import warning_sms

OUTCOMES = {
    "dissuaded": "劝阻成功",
    "defrauded": "已被骗（转立案）",
    "unreachable": "无法联系",
    "refused": "拒绝劝阻",
    "false_alarm": "误报",
}
TASK_FLOW = {"dispatched": {"received"}, "received": {"in_progress"}, "in_progress": set()}
OPEN_TASK = ("dispatched", "received", "in_progress")
# the feedback label an outcome puts on the counterpart identifiers of the warning's signals
OUTCOME_LABEL = {
    "false_alarm": "false_alarm",
    "defrauded": "confirmed",
    "dissuaded": "confirmed",
    "refused": "confirmed",
}
CUT_CALL_REASON = "紧急预警对象无法联系，请求切断其正在进行的通话"

SIGNAL_TEXT = {
    "call": "接到涉诈号码来电",
    "sms": "收到涉诈号码短信",
    "url_visit": "访问涉诈网址",
    "app_install": "安装涉诈应用",
    "payment_check": "支付核验发现风险",
    "transfer": "向涉诈账户转账",
}


class WarnError(ValueError):
    pass


@dataclass
class BatchResult:
    exposures: int
    opened: int
    raised: int
    signals_stored: int


class WarningService:
    def __init__(
        self,
        session: Session,
        secret: bytes,
        clock: Clock,
        state: WarningState | None = None,
        limits: Limits = LIMITS,
    ) -> None:
        self.session = session
        self.secret = secret
        self.clock = clock
        self.limits = limits
        self.state = state or WarningState()
        self._units: UnitResolver | None = None
        self._pid_by_key: dict[str, str] = {}  # person key → person id, for people seen here
        self._key_by_pid: dict[str, str] = {}
        # keyed hash and mask of counterpart identifiers already seen (the HMAC is deterministic)
        self._counterparts: dict[tuple[str, str], tuple[str, str]] = {}

    # ------------------------------------------------------------------ exposures → warnings
    @property
    def units(self) -> UnitResolver:
        if self._units is None:
            self._units = UnitResolver(self.session)
        return self._units

    def process(self, exposures: pd.DataFrame) -> BatchResult:
        """Merge a batch of exposures; open or raise warnings; dispatch; store the signals.

        Columns: the engine's (:data:`EXPOSURE_COLUMNS`), the person's real-name facts (``phone``,
        ``age``, ``division_code``, optional ``station_id`` from the household register) and the
        counterpart identifier (``counterpart_kind``, ``counterpart``).

        Database work is batched: one query for the open warnings of the people concerned, one
        multi-row insert each for new warnings, tasks, task events, inbox items and signals.
        """
        now = self.clock.now()
        if len(exposures) == 0:
            return BatchResult(0, 0, 0, 0)
        df = exposures.reset_index(drop=True)
        people = df.drop_duplicates("person_id", keep="last")
        if "age" in people:
            self.state.set_ages(
                dict(zip(people["person_id"], people["age"].fillna(0).astype(int), strict=True))
            )
        changes = self.state.process(df, _us(now))
        keys = {pid: self._person_key(pid) for pid in people["person_id"]}
        open_rows = self._open_rows(list(keys.values()))
        # the real-name facts of the people whose warning opens or rises, as plain dicts
        facts = dict(
            zip(
                changes.person_ids,
                people.set_index("person_id").reindex(changes.person_ids).to_dict("records"),
                strict=True,
            )
        )
        new_rows: list[WarningRow] = []
        raised: list[tuple[WarningRow, WarningLevel]] = []
        for i, pid in enumerate(changes.person_ids):
            level = WarningLevel(int(changes.level[i]))
            row = open_rows.get(keys[pid])
            if row is None:
                row = self._new_warning(pid, keys[pid], facts[pid], level, changes, i, now)
                new_rows.append(row)
                open_rows[row.person_key] = row
            else:
                row.level = int(level)
                row.score = float(changes.score[i])
                row.fraud_type = changes.fraud_type[i] or row.fraud_type
                row.dimensions = dimension_names(int(changes.dimensions[i]))
                row.updated_at = now
                raised.append((row, level))
        self.session.add_all(new_rows)
        self.session.flush()
        self._dispatch_many([(r, WarningLevel(r.level)) for r in new_rows], now)
        self._upgrade_tasks(raised, now)
        inbox = [
            dict(
                phone_hash=self._hash("phone", r.phone),
                warning_id=r.id,
                at=now,
                title="反诈预警提醒",
                body=r.sms_text or "",
            )
            for r in new_rows
            if r.phone
        ]
        if inbox:
            self.session.execute(WarnInbox.__table__.insert(), inbox)
        stored = self._store_signals(df, keys, open_rows)
        return BatchResult(len(df), len(new_rows), len(raised), stored)

    def _person_key(self, person_id: str) -> str:
        key = self._key_by_pid.get(person_id)
        if key is None:
            key = person_key(person_id, self.secret)
            self._key_by_pid[person_id] = key
            self._pid_by_key[key] = person_id
        return key

    def person_id_of(self, person_key: str) -> str | None:
        """The person behind a warning's key, for people this service has processed."""
        return self._pid_by_key.get(person_key)

    def _hash(self, kind: str, value: str) -> str:
        return safe_hash(kind, value, self.secret)

    def _open_rows(self, person_keys: list[str]) -> dict[str, WarningRow]:
        out: dict[str, WarningRow] = {}
        for chunk in range(0, len(person_keys), 900):
            part = person_keys[chunk : chunk + 900]
            for row in self.session.scalars(
                select(WarningRow).where(
                    WarningRow.person_key.in_(part), WarningRow.status == "open"
                )
            ):
                out[row.person_key] = row
        return out

    def _new_warning(self, pid, key, fact, level, changes, i, now) -> WarningRow:  # noqa: ANN001
        phone = _opt(fact.get("phone"))
        division = _opt(fact.get("division_code"))
        counterpart = _opt(fact.get("counterpart"))
        ckind = _opt(fact.get("counterpart_kind")) or "phone"
        ftype = changes.fraud_type[i] or "其他类型"
        return WarningRow(
            person_key=key,
            person_masked=_mask("resident_id", pid),
            phone=phone,
            phone_masked=_mask("phone", phone) if phone else None,
            age=int(fact.get("age") or 0) or None,
            division_code=division,
            unit_org_id=self.units.resolve(division, key, _opt(fact.get("station_id"))),
            level=int(level),
            score=float(changes.score[i]),
            fraud_type=ftype,
            dimensions=dimension_names(int(changes.dimensions[i])),
            reasons=[],
            status="open",
            sms_text=warning_sms(ftype, counterpart, ckind),
            first_exposure_at=_from_us(int(changes.first_exposure_us[i])),
            created_at=now,
            updated_at=now,
        )

    def _dispatch_many(self, items: list[tuple[WarningRow, WarningLevel]], now: datetime) -> None:
        """One task per warning and its 'dispatched' event, as two multi-row inserts."""
        if not items:
            return
        rows = []
        for row, level in items:
            a = assign(level, row.unit_org_id, now, self.limits)
            rows.append(
                dict(
                    warning_id=row.id,
                    unit_org_id=a.unit_org_id,
                    level=int(level),
                    action=a.action,
                    status="dispatched",
                    deadline=a.deadline,
                    created_at=now,
                    escalations=0,
                )
            )
        self.session.flush()
        ids = (
            self.session.execute(
                insert(WarnTask.__table__).returning(
                    WarnTask.__table__.c.id, sort_by_parameter_order=True
                ),
                rows,
            )
            .scalars()
            .all()
        )
        events = [
            dict(
                task_id=task_id,
                at=now,
                event="dispatched",
                actor="system",
                detail={"unit": r["unit_org_id"], "level": WarningLevel(r["level"]).label},
            )
            for task_id, r in zip(ids, rows, strict=True)
        ]
        self.session.execute(WarnTaskEvent.__table__.insert(), events)

    def _upgrade_tasks(self, raised: list[tuple[WarningRow, WarningLevel]], now: datetime) -> None:
        if not raised:
            return
        ids = [r.id for r, _ in raised]
        open_tasks = {
            t.warning_id: t
            for t in self.session.scalars(
                select(WarnTask).where(WarnTask.warning_id.in_(ids), WarnTask.status.in_(OPEN_TASK))
            )
        }
        redispatch = []
        for row, level in raised:
            task = open_tasks.get(row.id)
            if task is None:
                redispatch.append((row, level))
                continue
            a = assign(level, task.unit_org_id, now, self.limits)
            task.level = int(level)
            task.action = a.action
            task.deadline = min(task.deadline, a.deadline)
            self._event(task, now, "upgraded", "system", {"level": level.label})
        self._dispatch_many(redispatch, now)

    def _store_signals(
        self, df: pd.DataFrame, keys: dict[str, str], open_rows: dict[str, WarningRow]
    ) -> int:
        """Attach every exposure of a person with an open warning to that warning."""
        if not open_rows:
            return 0
        contrib = contributions(
            df["signal_kind"].to_numpy(dtype=object),
            df["fraud_type"].to_numpy(dtype=object),
            df["grade"].to_numpy(),
            df["duration_s"].fillna(0).to_numpy(),
            self.state.policy,
        )
        rows = []
        reasons: dict[int, list[str]] = {}
        hashes = self._counterparts
        for r, c in zip(df.itertuples(index=False), contrib, strict=True):
            w = open_rows.get(keys[r.person_id])
            if w is None:
                continue
            ckind = getattr(r, "counterpart_kind", None) or "phone"
            cval = getattr(r, "counterpart", None) or ""
            if (ckind, cval) not in hashes:
                hashes[(ckind, cval)] = (
                    self._hash(ckind, cval) if cval else "",
                    _mask(ckind, cval) if cval else "",
                )
            h, masked = hashes[(ckind, cval)]
            at = pd.Timestamp(r.at).to_pydatetime()
            rows.append(
                dict(
                    warning_id=w.id,
                    at=at if at.tzinfo else at.replace(tzinfo=UTC),
                    signal_kind=r.signal_kind,
                    dimension=SIGNAL_KINDS.get(r.signal_kind, ("communication", 0))[0],
                    counterpart_kind=ckind,
                    counterpart_hash=h,
                    counterpart_masked=masked,
                    fraud_type=r.fraud_type,
                    detail={
                        "contribution": round(float(c), 3),
                        "duration_s": int(r.duration_s or 0),
                    },
                )
            )
            text = f"{SIGNAL_TEXT.get(r.signal_kind, r.signal_kind)} {masked}（{r.fraud_type}）"
            reasons.setdefault(w.id, []).append(text)
        if rows:
            self.session.execute(WarningSignal.__table__.insert(), rows)
        by_id = {w.id: w for w in open_rows.values()}
        for wid, texts in reasons.items():
            w = by_id[wid]
            w.reasons = list(dict.fromkeys([*w.reasons, *texts]))[-20:]
        self.session.flush()
        return len(rows)

    # ------------------------------------------------------------------ task lifecycle
    def _event(self, task: WarnTask, now: datetime, event: str, actor: str, detail: dict) -> None:
        self.session.add(
            WarnTaskEvent(task_id=task.id, at=now, event=event, actor=actor, detail=detail)
        )

    def _task_for(self, task_id: int, principal: Principal) -> WarnTask:
        task = self.session.get(WarnTask, task_id)
        if task is None or not self._may_act(principal, task):
            raise WarnError(f"task_id: 任务 {task_id} 不存在或不在本单位辖区")
        return task

    def _may_act(self, principal: Principal, task: WarnTask) -> bool:
        if sees_everything(principal) or task.unit_org_id == principal.org_id:
            return True
        w = self.session.get(WarningRow, task.warning_id)
        return bool(
            w is not None
            and self.session.scalar(
                select(WarningRow.id).where(
                    WarningRow.id == w.id, jurisdiction_filter(principal, WarningRow.division_code)
                )
            )
        )

    def receive(self, task_id: int, principal: Principal) -> WarnTask:
        return self._move(task_id, principal, "received")

    def start(self, task_id: int, principal: Principal) -> WarnTask:
        return self._move(task_id, principal, "in_progress")

    def _move(self, task_id: int, principal: Principal, to: str) -> WarnTask:
        now = self.clock.now()
        task = self._task_for(task_id, principal)
        if to not in TASK_FLOW.get(task.status, set()):
            raise WarnError(f"status: 任务状态为 {task.status}，不能变为 {to}")
        task.status = to
        if to == "received":
            task.received_at = now
        else:
            w = self.session.get(WarningRow, task.warning_id)
            w.contacted_at = w.contacted_at or now
        self._event(task, now, to, principal.label, {})
        self.session.flush()
        return task

    def record_outcome(
        self, task_id: int, outcome: str, principal: Principal, note: str = ""
    ) -> WarningRow:
        """Close the task and the warning. Feedback: labels for the counterpart identifiers, and a
        victim report into the lake for 'defrauded' (the cases room picks it up)."""
        if outcome not in OUTCOMES:
            raise WarnError(f"outcome: 未知处置结果 {outcome!r}，可选 {', '.join(OUTCOMES)}")
        now = self.clock.now()
        task = self._task_for(task_id, principal)
        if task.status not in OPEN_TASK:
            raise WarnError(f"status: 任务已是 {task.status}，不能再记录结果")
        if outcome == "unreachable" and task.level == int(WarningLevel.URGENT):
            self._request_cut_call(task, now)
        task.status = "done"
        task.done_at = now
        self._event(task, now, "outcome", principal.label, {"outcome": outcome, "note": note})
        w = self.session.get(WarningRow, task.warning_id)
        w.contacted_at = w.contacted_at or (now if outcome != "unreachable" else None)
        w.outcome = outcome
        w.status = "closed"
        if w.person_key in self._pid_by_key:
            self.state.close([self._pid_by_key[w.person_key]])
        w.closed_at = now
        w.updated_at = now
        if outcome == "defrauded":
            w.case_ref = f"W{w.id}"
        label = OUTCOME_LABEL.get(outcome)
        if label:
            seen: set[tuple[str, str]] = set()
            for s in self.session.scalars(
                select(WarningSignal).where(WarningSignal.warning_id == w.id)
            ):
                k = (s.counterpart_kind, s.counterpart_hash)
                if s.counterpart_hash and k not in seen:
                    seen.add(k)
                    self.session.add(
                        WarnLabel(
                            warning_id=w.id,
                            counterpart_kind=k[0],
                            counterpart_hash=k[1],
                            label=label,
                            at=now,
                        )
                    )
        self.session.flush()
        return w

    def record_outcomes(
        self,
        items: list[tuple[int, str, datetime]],
        principal: Principal,
        note: str = "",
    ) -> int:
        """Many officers' whole path at once: for each ``(task_id, outcome, at)``, in order, the
        receipt and start if not yet done, then the outcome — the same rows and effects as
        :meth:`receive`, :meth:`start` and :meth:`record_outcome` one by one at ``at``, written
        with a few set-based statements. Tasks that are no longer open are skipped (an earlier
        outcome or an escalation got there first). Returns the number of tasks closed."""
        for _, outcome, _ in items:
            if outcome not in OUTCOMES:
                raise WarnError(f"outcome: 未知处置结果 {outcome!r}，可选 {', '.join(OUTCOMES)}")
        if not items:
            return 0
        self.session.flush()
        tasks = {t.id: t for t in self._load(WarnTask, [i for i, _, _ in items])}
        warnings = {w.id: w for w in self._load(WarningRow, [t.warning_id for t in tasks.values()])}
        events: list[dict] = []
        requests: list[dict] = []
        labelled: dict[int, tuple[str, datetime]] = {}
        closed_people: list[str] = []
        done = 0
        for task_id, outcome, now in items:
            task = tasks.get(task_id)
            if task is None or task.status not in OPEN_TASK:
                continue
            if not self._may_act(principal, task):
                raise WarnError(f"task_id: 任务 {task_id} 不存在或不在本单位辖区")
            w = warnings[task.warning_id]
            if task.status == "dispatched":
                task.status = "received"
                task.received_at = now
                events.append(self._event_row(task.id, now, "received", principal.label, {}))
            if task.status == "received":
                task.status = "in_progress"
                w.contacted_at = w.contacted_at or now
                events.append(self._event_row(task.id, now, "in_progress", principal.label, {}))
            if outcome == "unreachable" and task.level == int(WarningLevel.URGENT) and w.phone:
                requests.append(self._cut_call_row(w, now))
            task.status = "done"
            task.done_at = now
            events.append(
                self._event_row(
                    task.id, now, "outcome", principal.label, {"outcome": outcome, "note": note}
                )
            )
            w.contacted_at = w.contacted_at or (now if outcome != "unreachable" else None)
            w.outcome = outcome
            w.status = "closed"
            if w.person_key in self._pid_by_key:
                closed_people.append(self._pid_by_key[w.person_key])
            w.closed_at = now
            w.updated_at = now
            if outcome == "defrauded":
                w.case_ref = f"W{w.id}"
            label = OUTCOME_LABEL.get(outcome)
            if label:
                labelled[w.id] = (label, now)
            done += 1
        if closed_people:
            self.state.close(closed_people)
        self.session.flush()
        if events:
            self.session.execute(WarnTaskEvent.__table__.insert(), events)
        if requests:
            self.session.execute(OperatorRequest.__table__.insert(), requests)
        labels = self._label_rows(labelled)
        if labels:
            self.session.execute(WarnLabel.__table__.insert(), labels)
        return done

    def _load(self, table: type, ids: list[int]) -> list:
        out = []
        ids = sorted(set(ids))
        for chunk in range(0, len(ids), 900):
            out += self.session.scalars(select(table).where(table.id.in_(ids[chunk : chunk + 900])))
        return out

    @staticmethod
    def _event_row(task_id: int, at: datetime, event: str, actor: str, detail: dict) -> dict:
        return dict(task_id=task_id, at=at, event=event, actor=actor, detail=detail)

    def _cut_call_row(self, w: WarningRow, now: datetime) -> dict:
        return dict(
            warning_id=w.id,
            phone_hash=self._hash("phone", w.phone),
            phone_masked=w.phone_masked or "",
            request="cut_call",
            reason=CUT_CALL_REASON,
            status="open",
            at=now,
        )

    def _label_rows(self, labelled: dict[int, tuple[str, datetime]]) -> list[dict]:
        """One label per distinct counterpart of each closed warning's signals."""
        rows: list[dict] = []
        ids = sorted(labelled)
        for chunk in range(0, len(ids), 900):
            seen: set[tuple[int, str, str]] = set()
            for wid, kind, h in self.session.execute(
                select(
                    WarningSignal.warning_id,
                    WarningSignal.counterpart_kind,
                    WarningSignal.counterpart_hash,
                )
                .where(WarningSignal.warning_id.in_(ids[chunk : chunk + 900]))
                .order_by(WarningSignal.warning_id, WarningSignal.id)
            ):
                if h and (wid, kind, h) not in seen:
                    seen.add((wid, kind, h))
                    label, at = labelled[wid]
                    rows.append(
                        dict(
                            warning_id=wid,
                            counterpart_kind=kind,
                            counterpart_hash=h,
                            label=label,
                            at=at,
                        )
                    )
        return rows

    def _request_cut_call(self, task: WarnTask, now: datetime) -> None:
        w = self.session.get(WarningRow, task.warning_id)
        if not w.phone:
            return
        self.session.add(
            OperatorRequest(
                warning_id=w.id,
                phone_hash=self._hash("phone", w.phone),
                phone_masked=w.phone_masked or "",
                request="cut_call",
                reason=CUT_CALL_REASON,
                status="open",
                at=now,
            )
        )

    def escalate_due(self) -> list[WarnTask]:
        """Tasks past their deadline go to the parent unit with a fresh deadline; for 紧急 the
        operator is asked to cut the person's ongoing call."""
        now = self.clock.now()
        due = list(
            self.session.scalars(
                select(WarnTask).where(
                    and_(WarnTask.status.in_(OPEN_TASK), WarnTask.deadline < now)
                )
            )
        )
        if not due:
            return []
        warnings = {w.id: w for w in self._load(WarningRow, [t.warning_id for t in due])}
        events: list[dict] = []
        requests: list[dict] = []
        created: list[WarnTask] = []
        for task in due:
            task.status = "escalated"
            events.append(
                self._event_row(
                    task.id, now, "escalated", "system", {"deadline": task.deadline.isoformat()}
                )
            )
            level = WarningLevel(task.level)
            parent = self.units.escalate(task.unit_org_id)
            a = assign(level, parent, now, self.limits)
            created.append(
                WarnTask(
                    warning_id=task.warning_id,
                    unit_org_id=parent,
                    level=task.level,
                    action=a.action,
                    status="dispatched",
                    deadline=a.deadline,
                    created_at=now,
                    escalations=task.escalations + 1,
                )
            )
            w = warnings[task.warning_id]
            if level == WarningLevel.URGENT and w.phone:
                requests.append(self._cut_call_row(w, now))
        self.session.add_all(created)
        self.session.flush()
        events += [
            self._event_row(new.id, now, "dispatched", "system", {"escalated_from": old.id})
            for old, new in zip(due, created, strict=True)
        ]
        self.session.execute(WarnTaskEvent.__table__.insert(), events)
        if requests:
            self.session.execute(OperatorRequest.__table__.insert(), requests)
        return created

    # ------------------------------------------------------------------ reads
    def queue(
        self, principal: Principal, status: str | None = "open", limit: int = 100, offset: int = 0
    ) -> list[tuple[WarnTask, WarningRow]]:
        q = (
            select(WarnTask, WarningRow)
            .join(WarningRow, WarningRow.id == WarnTask.warning_id)
            .order_by(WarnTask.level.desc(), WarnTask.deadline)
            .limit(limit)
            .offset(offset)
        )
        if status == "open":
            q = q.where(WarnTask.status.in_(OPEN_TASK))
        elif status:
            q = q.where(WarnTask.status == status)
        if not sees_everything(principal):
            q = q.where(
                (WarnTask.unit_org_id == principal.org_id)
                | jurisdiction_filter(principal, WarningRow.division_code)
            )
        return [tuple(r) for r in self.session.execute(q).all()]

    def inbox(self, phone: str) -> list[WarnInbox]:
        h = self._hash("phone", phone)
        return list(
            self.session.scalars(
                select(WarnInbox).where(WarnInbox.phone_hash == h).order_by(WarnInbox.at.desc())
            )
        )


def safe_hash(kind: str, value: str, secret: bytes) -> str:
    """Keyed hash of an identifier; a value that does not parse as ``kind`` (e.g. a payment
    account reported under a card column) is hashed as given rather than dropped."""
    try:
        return keyed_hash(kind, value, secret)
    except IdentifierError:
        return hash_normalised(kind, value, secret)


def person_key(person_id: str, secret: bytes) -> str:
    """The key a person's warnings are filed under."""
    return safe_hash("resident_id", person_id, secret)


def _us(dt: datetime) -> int:
    return int(dt.timestamp() * 1_000_000)


def _from_us(us: int) -> datetime:
    return datetime.fromtimestamp(us / 1_000_000, tz=UTC)


def _opt(v: object) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    s = str(v).strip()
    return s or None


def _mask(kind: str, value: str) -> str:
    try:
        return mask(kind, value)
    except ValueError:
        return value[:2] + "****" if len(value) > 4 else "****"
