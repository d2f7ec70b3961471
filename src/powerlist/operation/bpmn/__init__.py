"""BPMN 2.0 flowcharts: read safely (`xml`), understand and validate (`parse`), check gateway
conditions (`expressions`), build what the engine runs (`engine`), write back (`write`), lay out
and draw (`layout`, `render`), and the standard flowchart of each category (`templates`)."""
