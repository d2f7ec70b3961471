"""SpiffWorkflow as the case service uses it: a case's state is saved without its process
definition (the spec is pinned by the flowchart's engine XML sha256 and parsed once per process,
see flowcharts.runnable), restored with the cached spec, and only tasks the engine reports READY
are ever run (DESIGN.md: `Task.run()` would complete a task that is not ready)."""

import json
import threading
from collections import OrderedDict
from uuid import UUID

from django.db import transaction

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.task import TaskState

from powerlist.core.errors import InvalidInput, Problem
from powerlist.operation.bpmn import templates


class _PinnedWorkflowConverter(BpmnWorkflowConverter):
    """The workflow without its spec: the case row pins the flowchart, so the state carries only
    the spec's name (~6 KB a case instead of the whole process definition)."""

    def to_dict(self, workflow):
        dct = super(BpmnWorkflowConverter, self).to_dict(workflow)  # the task tree, not the spec
        dct["spec"] = workflow.spec.name
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(
    {**DEFAULT_CONFIG, BpmnWorkflow: _PinnedWorkflowConverter}))


def start(pinned: dict, accepts=None) -> BpmnWorkflow:
    """A new workflow of the pinned spec, run up to its first steps a person completes, with the
    steps the opening itself stands for completed (see `opening_steps`). `accepts(task)` says
    whether the person opening the case may complete that acceptance step (its lane's role); by
    default they may (a department's system that reports its own acceptance)."""
    workflow = BpmnWorkflow(pinned["spec"], pinned["subprocesses"])
    _advance(workflow)
    for _round in range(20):  # a chart looping back to its application stops here
        intake = [t for t in ready(workflow) if templates.is_application(step_name(t)) and not asks(t.task_spec)]
        if not intake:
            break
        for task in intake:
            task.run()
        _advance(workflow)
    accepted = [t for t in ready(workflow) if templates.is_acceptance(step_name(t)) and not asks(t.task_spec)
                and (accepts is None or accepts(t))]
    for task in accepted:  # once: a chart that returns to its acceptance later is the clerk's then
        task.run()
    if accepted:
        _advance(workflow)
    return workflow


def opening_tasks(workflow: BpmnWorkflow) -> list:
    """The tasks the opening of the case completed, in order: the application (申请, 提交申请,
    申报: the applicant's submission, recorded with the opening) at the head of the flowchart, then
    the acceptance (受理, 受理申请, 接件受理, 收件受理) after it: opening the case *is* the acceptance
    (its due date counts from it), so no clerk is asked to accept twice; the first step a clerk
    completes is the one after (审查, 办理 …). A step whose way on reads case fields (a gateway's
    condition: 受理 → 是否齐全?) is left for the clerk, who gives them; so is an acceptance whose
    lane names a role the person opening does not hold (see `start`)."""
    tasks, accepted = [], False
    for task in completed(workflow):
        name = step_name(task)
        if templates.is_application(name) and not accepted:
            tasks.append(task)
        elif templates.is_acceptance(name) and not accepted:
            tasks.append(task)
            accepted = True
        else:
            break
    return tasks


def opening_steps(workflow: BpmnWorkflow) -> list[str]:
    """The names of `opening_tasks`."""
    return [step_name(t) for t in opening_tasks(workflow)]


def asks(spec, seen=None) -> bool:
    """Whether completing the task reaches a gateway whose flows carry conditions (the clerk gives
    the fields they read) before the next step a person completes."""
    seen = seen if seen is not None else set()
    for out in spec.outputs:
        if out.name in seen or getattr(out, "manual", False):
            continue
        seen.add(out.name)
        if getattr(out, "cond_task_specs", None) and any(c for c, _t in out.cond_task_specs if c is not None):
            return True
        if asks(out, seen):
            return True
    return False


# Workflows this process saved last, by key (the case), with the exact state they were saved as.
# `load` with the same key takes one back only when the state it is given (read from the locked
# row) is that very text, which is everything `load` would rebuild; it removes it while the caller
# works on it, and `dump` puts it back only once the transaction that saved it commits. A rolled-
# back or failed action, another process's action or an edit of the row all change the text or
# leave nothing to take: the state is then restored from its JSON as always.
_WARM: OrderedDict = OrderedDict()
_WARM_MAX = 500
_WARM_LOCK = threading.Lock()  # threads of one process share it


def dump(workflow: BpmnWorkflow, key=None) -> str:
    _SERIALIZER.registry._encoder_mode = True
    try:
        dct = _SERIALIZER.to_dict(workflow)
    finally:
        _SERIALIZER.registry._encoder_mode = False
    dct[_SERIALIZER.VERSION_KEY] = _SERIALIZER.VERSION
    state = json.dumps(dct, separators=(",", ":"), cls=_SERIALIZER._encoder_cls)
    if key is not None:
        remember(key, state, workflow)
    return state


def remember(key, state: str, workflow: BpmnWorkflow) -> None:
    """Keep `workflow`, saved as `state`, for `load` under `key` once the transaction commits."""
    if not workflow.is_completed():
        transaction.on_commit(lambda: _keep(key, state, workflow))


def _keep(key, state: str, workflow: BpmnWorkflow) -> None:
    with _WARM_LOCK:
        _WARM[key] = (state, workflow)
        _WARM.move_to_end(key)
        while len(_WARM) > _WARM_MAX:
            _WARM.popitem(last=False)


def load(state: str, pinned: dict, key=None) -> BpmnWorkflow:
    """The workflow saved as `state`; with a key, the one this process saved last under it when
    `state` is still exactly what it saved (see _WARM), which the caller then owns."""
    if key is not None:
        with _WARM_LOCK:
            warm = _WARM.pop(key, None)
        if warm is not None and warm[0] == state and warm[1].spec is pinned["spec"]:
            return warm[1]
    dct = json.loads(state)
    _SERIALIZER.migrate(dct)
    return _SERIALIZER.registry.restore(dct, spec=pinned["spec"], subprocess_specs=pinned["subprocesses"])


def _advance(workflow: BpmnWorkflow) -> None:
    try:
        workflow.refresh_timers()
        workflow.do_engine_steps()
    except WorkflowException as exc:  # a gateway condition naming a field the case lacks, and the like
        raise InvalidInput([Problem("", None, "flowchart", getattr(exc, "task_spec", None) and
                                    str(exc.task_spec.bpmn_name or exc.task_spec.name) or "",
                                    f"流程引擎无法继续：{str(exc)[:200]}")]) from None


def ready(workflow: BpmnWorkflow) -> list:
    """The steps a person may complete now: READY user tasks, in the engine's order."""
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def completed(workflow: BpmnWorkflow) -> list:
    return [t for t in workflow.get_tasks(state=TaskState.COMPLETED, manual=True)]


def step_name(task) -> str:
    return task.task_spec.bpmn_name or task.task_spec.name


def complete(workflow: BpmnWorkflow, task, data: dict | None = None) -> None:
    """Run one READY task (checked again here: never run anything else) and move the engine on."""
    if task.state != TaskState.READY or not task.task_spec.manual:
        raise InvalidInput([Problem("", None, "step", step_name(task), "该环节尚未就绪，不能办理")])
    if data:
        task.data.update(data)
    task.run()
    _advance(workflow)


def branch_to(task, step: str) -> dict[str, set[str]] | None:
    """The way from a ready task to the step named `step` (its name or id) through gateways and
    events only: {gateway id: the outputs on the way} for each gateway whose flows carry conditions
    ({} when none does), or None when no branch leads there. A department's system that reports
    that step done after this task has taken that branch (its events carry no case fields for
    the conditions)."""
    start = task.task_spec
    queue, seen = [(start, {})], {start.name}
    while queue:
        spec, choices = queue.pop(0)
        for out in spec.outputs:
            nxt = dict(choices)
            if getattr(spec, "cond_task_specs", None):
                nxt[spec.name] = {*nxt.get(spec.name, set()), out.name}
            if getattr(out, "manual", False):
                if step in (out.bpmn_name, out.name):
                    return nxt
                continue
            if out.name not in seen:
                seen.add(out.name)
                queue.append((out, nxt))
    return None


class _Steered:
    """The workflow's script engine, but the gateways on a reported way take the branch the way
    goes (their conditions read case fields a pushed event does not carry)."""

    def __init__(self, engine, choices: dict[str, set[str]]):
        self.engine, self.choices = engine, choices

    def evaluate(self, task, expression, external_context=None):
        chosen = self.choices.get(task.task_spec.name)
        if chosen is None:
            return self.engine.evaluate(task, expression, external_context=external_context)
        return any(output in chosen for condition, output in getattr(task.task_spec, "cond_task_specs", [])
                   if condition is not None and condition.args[0] == expression)

    def __getattr__(self, name):
        return getattr(self.engine, name)


def complete_towards(workflow: BpmnWorkflow, task, choices: dict[str, set[str]]) -> None:
    """Complete a READY task with the gateways after it taking the branches `choices` names."""
    engine = workflow.script_engine
    workflow.script_engine = _Steered(engine, choices)
    try:
        complete(workflow, task)
    finally:
        workflow.script_engine = engine


def finished(workflow: BpmnWorkflow) -> bool:
    return workflow.is_completed()
