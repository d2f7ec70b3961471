"""The portal's item page draws an imported BPMN flowchart with the operation app's renderer
(its own layout, names as text, personal data masked); items without one are drawn by the same
renderer from their steps or their category's template with the computed layout."""

from django.core.cache import cache
from django.core.management import call_command

from powerlist.operation.tests.conftest import DIAGRAMS


def test_item_page_draws_the_bpmn_layout_and_masks_names(client, licence, users, tmp_path):
    before = client.get(f"/item/{licence.pk}/").content.decode()
    assert 'class="flowchart bpmn"' in before and "审查" in before  # its steps, drawn by the same renderer
    assert 'x="280.0"' not in before
    diagram = (DIAGRAMS / "bpmnio_licence.bpmn").read_text(encoding="utf-8").replace(
        'name="送达"', 'name="送达（联系13912345678）"')
    path = tmp_path / "masked.bpmn"
    path.write_text(diagram, encoding="utf-8")
    call_command("flowchart", "import", str(path), "--item", licence.code, "--as", users["reviewer"].username,
                 "--reason", "导入")
    cache.clear()  # a public page may lag a change by 30 seconds (portal.views.FRESH_SECONDS)
    page = client.get(f"/item/{licence.pk}/").content.decode()
    assert 'class="flowchart bpmn"' in page
    assert "退回补正" in page and 'x="280.0"' in page
    assert "13912345678" not in page and "1391234" not in page.replace("139****5678", "")
