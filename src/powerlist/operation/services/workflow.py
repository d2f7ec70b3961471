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


def start(pinned: dict) -> BpmnWorkflow:
    """A new workflow of the pinned spec, run up to its first steps a person completes."""
    workflow = BpmnWorkflow(pinned["spec"], pinned["subprocesses"])
    _advance(workflow)
    return workflow


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


def finished(workflow: BpmnWorkflow) -> bool:
    return workflow.is_completed()
