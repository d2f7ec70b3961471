"""Property: a case run by the real case service along a random valid flowchart (sequences,
exclusive choices, parallel branches, loops back), completing whichever ready step, raises no
control-flow alert (skipped-step, out-of-order)."""

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from powerlist.catalog.services.items import create_item
from powerlist.conftest import item_document
from powerlist.core.scope import SYSTEM
from powerlist.operation.models import Case
from powerlist.operation.services import cases, flowcharts
from powerlist.supervision import engine
from powerlist.supervision.models import FlowTransition
from powerlist.supervision.tests.charts import Writer, blocks


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(chart=blocks(), data=st.data())
def test_a_valid_run_along_a_random_flowchart_raises_no_control_flow_alert(county, departments, users, chart, data):
    item = create_item(SYSTEM, county, item_document(code=f"430304-JY-HY-{Case.objects.count():04d}-{id(chart)}",
                                                     category="10", flowchart="", status="published"))
    writer = Writer()
    note(repr(chart))
    flowcharts.import_flowchart(SYSTEM, item, writer.bpmn(chart), filename="random.bpmn")
    clerk = users["clerk"]
    case = cases.open_case(clerk, item.code, "430304")
    loops = 0
    for _ in range(40):
        ready = cases.describe(Case.objects.get(pk=case.pk))["ready"]
        if not ready:
            break
        step = data.draw(st.sampled_from(ready))
        choice = {}
        for var, n in writer.choices.items():
            if var.startswith("r"):
                back = loops < 2 and data.draw(st.booleans())
                loops += back
                choice[var] = 1 if back else 0
            else:
                choice[var] = data.draw(st.integers(0, n - 1))
        cases.act(clerk, case.number, "complete", step, data=choice)
    found = engine.evaluate(case_ids=[case.pk], codes={"skipped-step", "out-of-order"})
    assert FlowTransition.objects.filter(flowchart_id=case.flowchart_id).exists()
    note(repr([(f['step'], f['rule'], f['detail']) for f in found]))
    assert found == []
