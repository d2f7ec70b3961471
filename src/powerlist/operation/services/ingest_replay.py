"""Pushed events replayed through the engine, case by case (see `ingest`): each case's new events
in order of time from its saved state, as the case service runs them, flagging what does not fit
(the step not ready, not on the chart, the action not fitting the case's state) and moving the
engine and the case only with the events that fit."""

import datetime as dt

from powerlist.core.errors import DomainError, InvalidInput
from powerlist.core.services import audit
from powerlist.core.workdays import beijing_date
from powerlist.operation.models import Case, CaseAction, CaseEvent, CaseStatus
from powerlist.operation.services import deadlines
from powerlist.operation.services import workflow as wf

UNLISTED, OUT_OF_ORDER, UNKNOWN_STEP, NO_BRANCH, LATE = "unlisted-power", "out-of-order", "unknown-step", \
    "no-branch", "late"
BLOCKING = frozenset({OUT_OF_ORDER, UNKNOWN_STEP, NO_BRANCH})  # these do not move the engine


def _flag(flags: list[str], flag: str) -> None:
    if flag not in flags:
        flags.append(flag)


_NAMES: dict = {}  # spec -> {name or id: (step name, task id)}


def _step_names(pinned: dict) -> dict[str, tuple[str, str]]:
    names = _NAMES.get(pinned["spec"])
    if names is None:
        names = {}
        for spec in (pinned["spec"], *pinned["subprocesses"].values()):
            for ts in spec.task_specs.values():
                if getattr(ts, "manual", False):
                    name = ts.bpmn_name or ts.name
                    names.setdefault(ts.name, (name, ts.name))
                    names.setdefault(name, (name, ts.name))
        if len(_NAMES) > 1000:
            _NAMES.clear()
        _NAMES[pinned["spec"]] = names
    return names


class Replay:
    """One case's engine and state while its new events are applied in order of time."""

    def __init__(self, case: Case, pinned: dict | None, last_at, reader):
        self.case, self.pinned, self.last_at, self.reader = case, pinned, last_at, reader
        self.workflow = wf.load(case.state, pinned) if pinned and case.state else None
        self.done: list[str] = []  # tasks completed in this batch (to rebuild after an engine failure)
        self.start_state = case.state
        self.names = _step_names(pinned) if pinned else {}
        self.closed_by_close = case.status == CaseStatus.CLOSED and not (self.workflow and wf.finished(self.workflow))
        self.changed_due = False
        self.held: set[str] = set()  # ids of tasks reported done in this batch, waiting before a gateway
        self.earlier_held: set[str] | None = None
        # the steps the opening stands for (申请, 受理): a system may report them done once
        self.opening = set(wf.opening_steps(self.workflow)) if self.workflow is not None else set()
        self.reported: set[str] = set()

    def apply(self, row, flags: list[str]) -> tuple[str, str, str]:
        """Flags the row and applies it; returns (step, step id, task id)."""
        case = self.case
        step, step_id, task = row.step, "", None
        if self.workflow is not None and row.step:
            task = self._ready(row.step)
            known = self.names.get(row.step)
            if known:
                step, step_id = known
            if task is None and known and row.action not in (CaseAction.CLOSE, CaseAction.ACCEPT):
                task = self._through_gateway(row.step)
            if task is None and known and row.action == CaseAction.COMPLETE and self._first_report(known[0]):
                return step, step_id, ""  # the system's own record of a step the opening stands for
            # an acceptance that names the step it stands for (受理, 申请): the opening itself, not a step
            opening = row.action == CaseAction.ACCEPT and known and known[0] in self.opening
            if task is None and row.action != CaseAction.CLOSE and not opening:
                _flag(flags, OUT_OF_ORDER if known else UNKNOWN_STEP)
        if row.action == CaseAction.ACCEPT and case.event_count:
            _flag(flags, OUT_OF_ORDER)  # accepted twice
        if case.status == CaseStatus.CLOSED and (row.action != CaseAction.CLOSE or self.closed_by_close):
            _flag(flags, OUT_OF_ORDER)
        elif case.status == CaseStatus.SUSPENDED and row.action in (CaseAction.COMPLETE, CaseAction.RETURN,
                                                                      CaseAction.SUSPEND):
            _flag(flags, OUT_OF_ORDER)
        elif case.status != CaseStatus.SUSPENDED and row.action == CaseAction.RESUME:
            _flag(flags, OUT_OF_ORDER)
        if BLOCKING.intersection(flags):
            return step, step_id, ""
        task_id = str(task.id) if task is not None else ""
        on = beijing_date(row.at)
        if row.action == CaseAction.COMPLETE and task is not None and wf.asks(task.task_spec):
            # a gateway with conditions follows: the system's next event tells the branch it took
            self.held.add(str(task.id))
        elif row.action == CaseAction.COMPLETE and task is not None:
            try:
                wf.complete(self.workflow, task)
                self.done.append((task.task_spec.name, None))
            except InvalidInput:
                _flag(flags, NO_BRANCH)
                self._rebuild()
                return step, step_id, task_id
            if wf.finished(self.workflow):
                case.status, case.closed_at, case.result = CaseStatus.CLOSED, row.at, "办结"
        elif row.action in (CaseAction.RETURN, CaseAction.SUSPEND):
            case.status, case.suspended_since = CaseStatus.SUSPENDED, on
            case.suspension_reason = "补正材料" if row.action == CaseAction.RETURN else "中止"
            self.changed_due = True
        elif row.action == CaseAction.RESUME:
            last = on - dt.timedelta(days=1)
            if case.suspended_since and last >= case.suspended_since:
                case.suspensions = [*case.suspensions, [case.suspended_since.isoformat(), last.isoformat(),
                                                        case.suspension_reason]]
            case.status, case.suspended_since, case.suspension_reason = CaseStatus.OPEN, None, ""
            self.changed_due = True
        elif row.action == CaseAction.CLOSE:
            case.status, case.closed_at, case.result, case.suspended_since = CaseStatus.CLOSED, row.at, "办结", None
            self.closed_by_close = True
        return step, step_id, task_id

    def _rebuild(self):
        """The engine as it was before the failed step: the saved state and this batch's steps again."""
        self.workflow = wf.load(self.start_state, self.pinned)
        for name, choices in self.done:
            task = next(t for t in wf.ready(self.workflow) if t.task_spec.name == name)
            if choices is None:
                wf.complete(self.workflow, task)
            else:
                wf.complete_towards(self.workflow, task, choices)

    def _first_report(self, step: str) -> bool:
        """Whether `step` is one the opening completed (申请, 受理) and this is the first event that
        reports it done (a system records its own acceptance step: it fits, once)."""
        if step not in self.opening or step in self.reported:
            return False
        self.reported.add(step)
        if not self.case.pk:
            return True
        earlier = CaseEvent.objects.filter(case_id=self.case.pk, action=CaseAction.COMPLETE, step=step,
                                           refused=False).values_list("flags", flat=True)
        return not any(not BLOCKING.intersection(flags or []) for flags in earlier)

    def _ready(self, step: str):
        return next((t for t in wf.ready(self.workflow) if step in (wf.step_name(t), t.task_spec.name)), None)

    def _held(self) -> set[str]:
        """Ready tasks whose completion the system reported (held before a gateway with conditions),
        in this batch or an earlier one."""
        if self.earlier_held is None:
            ready = [str(t.id) for t in wf.ready(self.workflow)]
            self.earlier_held = set(CaseEvent.objects.filter(
                case_id=self.case.pk, action=CaseAction.COMPLETE, task_id__in=ready).values_list(
                "task_id", flat=True)) if self.case.pk and ready else set()
        return self.held | self.earlier_held

    def _through_gateway(self, step: str):
        """The step, once a reported task before a gateway takes the branch that leads to it (the
        event tells which branch); None when no branch of a reported task leads there."""
        held = self._held()
        for task in wf.ready(self.workflow):
            if str(task.id) not in held:
                continue
            choices = wf.branch_to(task, step)
            if choices is None:
                continue
            try:
                wf.complete_towards(self.workflow, task, choices)
            except InvalidInput:
                self._rebuild()
                return None
            self.done.append((task.task_spec.name, choices))
            self.held.discard(str(task.id))
            self.earlier_held.discard(str(task.id))
            return self._ready(step)
        return None

    def finish(self):
        if self.workflow is not None:
            self.case.state = wf.dump(self.workflow)
        if self.changed_due and self.case.limit_days is not None:
            due(self.case, self.reader)


def due(case: Case, reader) -> None:
    """The case's due date with the batch's calendar (`reader.calendar`); many cases of a batch
    share a day and a limit: each is counted once (`reader.dues`)."""
    key = (beijing_date(case.accepted_at), case.limit_kind, case.limit_days, case.limit_unit,
           audit.canonical([case.suspensions, case.extensions]), case.suspended_since, case.suspension_reason)
    if key not in reader.dues:
        try:
            reader.dues[key] = deadlines.compute(case, reader.calendar)
        except DomainError as exc:  # a year the calendar does not know yet
            reader.dues[key] = None, str(exc)[:500]
    case.due, case.due_explained = reader.dues[key]
