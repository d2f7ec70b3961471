"""The SQL of each built-in rule, written once in Spark SQL (see `dialects`). The engine puts two
views in front: `cases` (the cases in scope) and `events` (their events, refused attempts left out:
they changed nothing). Parameters come in as literals the engine checks and renders: `{today}`
and dates as `CAST('YYYY-MM-DD' AS DATE)`, numbers as integers, lists of names as quoted strings.

Every rule selects the same columns: case_id; seq (the event, or NULL for a finding about the case
as a whole); step; at (the event's time, or NULL); day (a date the finding is about, or NULL);
v1, v2 (values the detail text is made of)."""

# The control-flow checks: a completed step is *enabled* when, since its own previous completion
# (or the case's start), a step that may lead to it was completed (a `next` transition; a step that
# loops to itself counts its own previous completion); through a parallel join, when every branch of
# the join has a completed step before it and one of them came since its previous completion (the
# other branches' tokens may have waited at the join from before). A step not enabled is an
# out-of-order step when a step that comes after it on the chart (and cannot lead back to it) was
# already done, or when it is not on the chart at all; otherwise steps between were skipped. An event
# a department's system pushed that the ingest flagged `out-of-order` is an out-of-order alert
# unless these checks already classed it.
#
# The checks depend only on the case's pinned flowchart and its completed steps (event number,
# node and recorded name), so they run once per distinct trace (variant), as a replay tool does:
# `traced` gives each case its trace in one pass over the completed steps, grouped by case (TRACE, a
# string aggregate per dialect, see `dialects`: every element carries its event number, so a trace
# names its steps and their order whatever order the aggregate joins them in; the steps as recorded,
# node id and name, which on one flowchart determine the node); `variants` keeps one case per
# (flowchart, trace); `done` resolves the nodes of those cases' steps only and the checks run on them;
# `flow` carries each finding to every case of its variant (same event numbers) with that case's own
# time (the event is always there: LEFT JOIN only keeps the planner from scanning every event
# against every trace).
CONTROL_FLOW = """
traced AS (
  SELECT t.case_id, c.flowchart_id, t.trace
  FROM (SELECT e.case_id, TRACE(CONCAT(CAST(e.seq AS STRING), '\x1f', e.step_id, '\x1f', e.step)) AS trace
        FROM events AS e WHERE e.action = 'complete' GROUP BY e.case_id) AS t
  JOIN cases AS c ON c.id = t.case_id
  WHERE c.flowchart_id IS NOT NULL
),
variants AS (
  SELECT flowchart_id, trace, MIN(case_id) AS case_id FROM traced GROUP BY flowchart_id, trace
),
done AS (
  SELECT e.case_id, e.seq, e.step, v.flowchart_id, COALESCE(NULLIF(e.step_id, ''), byname.step_id, e.step) AS node
  FROM variants AS v
  JOIN events AS e ON e.case_id = v.case_id AND e.action = 'complete'
  LEFT JOIN (SELECT flowchart_id, name, MIN(step_id) AS step_id FROM supervision_flowstep
             GROUP BY flowchart_id, name) AS byname
    ON byname.flowchart_id = v.flowchart_id AND e.step_id = '' AND byname.name = e.step
),
occ AS (
  SELECT d.*,
         COALESCE(LAG(d.seq) OVER (PARTITION BY d.case_id, d.node ORDER BY d.seq), 0) AS prev,
         LAG(d.step) OVER (PARTITION BY d.case_id ORDER BY d.seq) AS before_step
  FROM done AS d
),
sat AS (
  SELECT o.case_id, o.seq, t.gateway, t.branch, 1 AS recent
  FROM occ AS o
  JOIN supervision_flowtransition AS t
    ON t.flowchart_id = o.flowchart_id AND t.kind = 'next' AND t.target = o.node AND t.source = ''
  WHERE o.prev = 0
  UNION
  SELECT o.case_id, o.seq, t.gateway, t.branch, CASE WHEN p.seq >= o.prev THEN 1 ELSE 0 END AS recent
  FROM occ AS o
  JOIN supervision_flowtransition AS t
    ON t.flowchart_id = o.flowchart_id AND t.kind = 'next' AND t.target = o.node
  JOIN done AS p ON p.case_id = o.case_id AND p.node = t.source AND p.seq < o.seq
),
need AS (
  SELECT flowchart_id, target, gateway, COUNT(DISTINCT branch) AS branches
  FROM supervision_flowtransition WHERE kind = 'next' AND gateway <> ''
  GROUP BY flowchart_id, target, gateway
),
enabled AS (
  SELECT case_id, seq FROM sat WHERE gateway = '' AND recent = 1
  UNION
  SELECT s.case_id, s.seq
  FROM sat AS s
  JOIN occ AS o ON o.case_id = s.case_id AND o.seq = s.seq
  JOIN need AS n ON n.flowchart_id = o.flowchart_id AND n.target = o.node AND n.gateway = s.gateway
  WHERE s.gateway <> ''
  GROUP BY s.case_id, s.seq, s.gateway, n.branches
  HAVING COUNT(DISTINCT s.branch) = n.branches AND MAX(s.recent) = 1
),
bad AS (
  SELECT o.*, CASE WHEN fs.step_id IS NULL THEN 1 ELSE 0 END AS unknown
  FROM occ AS o
  LEFT JOIN enabled AS en ON en.case_id = o.case_id AND en.seq = o.seq
  LEFT JOIN supervision_flowstep AS fs ON fs.flowchart_id = o.flowchart_id AND fs.step_id = o.node
  WHERE en.seq IS NULL
),
ahead AS (
  SELECT b.case_id, b.seq, MIN(x.step) AS ahead_step
  FROM bad AS b
  JOIN done AS x ON x.case_id = b.case_id AND x.seq < b.seq
  JOIN supervision_flowtransition AS r
    ON r.flowchart_id = b.flowchart_id AND r.kind = 'reach' AND r.source = b.node AND r.target = x.node
  LEFT JOIN supervision_flowtransition AS back
    ON back.flowchart_id = b.flowchart_id AND back.kind = 'reach' AND back.source = x.node AND back.target = b.node
  WHERE back.id IS NULL
  GROUP BY b.case_id, b.seq
),
found AS (
  SELECT v.flowchart_id, v.trace, b.seq, b.before_step, b.unknown, a.ahead_step
  FROM bad AS b
  JOIN variants AS v ON v.case_id = b.case_id
  LEFT JOIN ahead AS a ON a.case_id = b.case_id AND a.seq = b.seq
),
flow AS (
  SELECT t.case_id, f.seq, e.step, e.at, f.before_step, f.unknown, f.ahead_step
  FROM traced AS t
  JOIN found AS f ON f.flowchart_id = t.flowchart_id AND f.trace = t.trace
  LEFT JOIN events AS e ON e.case_id = t.case_id AND e.seq = f.seq
)
"""

SKIPPED = """
SELECT case_id, seq, step, at, CAST(NULL AS DATE) AS day, before_step AS v1, CAST(NULL AS STRING) AS v2
FROM flow WHERE unknown = 0 AND ahead_step IS NULL
"""

OUT_OF_ORDER = """
SELECT case_id, seq, step, at, CAST(NULL AS DATE) AS day, before_step AS v1,
       CASE WHEN unknown = 1 THEN 'unknown' ELSE ahead_step END AS v2
FROM flow WHERE unknown = 1 OR ahead_step IS NOT NULL
UNION ALL
SELECT e.case_id, e.seq, e.step, e.at, CAST(NULL AS DATE) AS day, CAST(NULL AS STRING) AS v1, 'reported' AS v2
FROM events AS e
LEFT JOIN flow AS classed ON classed.case_id = e.case_id AND classed.seq = e.seq
WHERE CAST(e.flags AS STRING) LIKE '%"out-of-order"%' AND classed.seq IS NULL
"""

# Rules that share their work: when all of them run, one query answers for them, its first column
# the rule's code (the control flow is computed once for both of its rules).
TOGETHER = {
    ("out-of-order", "skipped-step"): "WITH " + CONTROL_FLOW + "SELECT 'skipped-step' AS rule, s.* FROM ("
    + SKIPPED + ") AS s UNION ALL SELECT 'out-of-order' AS rule, o.* FROM (" + OUT_OF_ORDER + ") AS o",
}

SQL = {
    "skipped-step": "WITH " + CONTROL_FLOW + SKIPPED,
    "out-of-order": "WITH " + CONTROL_FLOW + OUT_OF_ORDER,
    "unlisted-power": """
SELECT case_id, seq, step, at, CAST(NULL AS DATE) AS day, v1, v2 FROM (
  SELECT e.case_id, e.seq, e.step, e.at, c.item_code AS v1,
         CASE WHEN i.id IS NULL THEN 'missing'
              WHEN i.organisation_id <> c.organisation_id THEN 'department'
              WHEN i.status IN ('draft', 'in_review') THEN i.status
              WHEN i.valid_from IS NOT NULL AND BEIJING_DATE(e.at) < i.valid_from THEN 'before'
              WHEN i.valid_to IS NOT NULL AND BEIJING_DATE(e.at) > i.valid_to THEN 'after'
              ELSE 'reported' END AS v2,
         ROW_NUMBER() OVER (PARTITION BY e.case_id ORDER BY e.seq) AS n
  FROM events AS e
  JOIN cases AS c ON c.id = e.case_id
  LEFT JOIN catalog_poweritem AS i ON i.id = c.item_id
  WHERE i.id IS NULL OR i.organisation_id <> c.organisation_id OR i.status IN ('draft', 'in_review')
     OR (i.valid_from IS NOT NULL AND BEIJING_DATE(e.at) < i.valid_from)
     OR (i.valid_to IS NOT NULL AND BEIJING_DATE(e.at) > i.valid_to)
     OR CAST(e.flags AS STRING) LIKE '%"unlisted-power"%'
) AS found
WHERE n = 1
""",
    "overdue": """
SELECT c.id AS case_id, CAST(NULL AS INT) AS seq, '' AS step, CAST(NULL AS TIMESTAMP) AS at, c.due AS day,
       CAST(BEIJING_DATE(c.closed_at) AS STRING) AS v1, CAST(NULL AS STRING) AS v2
FROM cases AS c
WHERE c.due IS NOT NULL
  AND ((c.status = 'open' AND c.due < {today})
       OR (c.status = 'closed' AND BEIJING_DATE(c.closed_at) > c.due))
""",
    "deadline-warning": """
SELECT c.id AS case_id, CAST(NULL AS INT) AS seq, '' AS step, CAST(NULL AS TIMESTAMP) AS at, c.due AS day,
       CAST(NULL AS STRING) AS v1, CAST(NULL AS STRING) AS v2
FROM cases AS c
WHERE c.status = 'open' AND c.due IS NOT NULL AND c.due >= {today} AND c.due <= {horizon}
""",
    "suspension-too-long": """
WITH stops AS (
  SELECT e.case_id, e.seq, e.step, e.at FROM events AS e WHERE e.action IN ('suspend', 'return')
),
resumed AS (
  SELECT s.case_id, s.seq, MIN(r.seq) AS resumed_seq
  FROM stops AS s JOIN events AS r ON r.case_id = s.case_id AND r.action = 'resume' AND r.seq > s.seq
  GROUP BY s.case_id, s.seq
),
spans AS (
  SELECT s.case_id, s.seq, s.step, s.at,
         DATEDIFF(COALESCE(BEIJING_DATE(r.at), BEIJING_DATE(c.closed_at), {today}), BEIJING_DATE(s.at)) AS days,
         CASE WHEN r.seq IS NULL THEN 'open' ELSE 'resumed' END AS state
  FROM stops AS s
  JOIN cases AS c ON c.id = s.case_id
  LEFT JOIN resumed AS x ON x.case_id = s.case_id AND x.seq = s.seq
  LEFT JOIN events AS r ON r.case_id = x.case_id AND r.seq = x.resumed_seq
)
SELECT case_id, seq, step, at, CAST(NULL AS DATE) AS day, CAST(days AS STRING) AS v1, state AS v2
FROM spans WHERE days > {max_days}
""",
    "repeated-return": """
SELECT case_id, seq, step, at, CAST(NULL AS DATE) AS day, CAST(n AS STRING) AS v1, CAST(NULL AS STRING) AS v2
FROM (SELECT e.case_id, e.seq, e.step, e.at, ROW_NUMBER() OVER (PARTITION BY e.case_id ORDER BY e.seq) AS n
      FROM events AS e WHERE e.action = 'return') AS returns
WHERE n = {max_returns} + 1
""",
    "same-person-accept-decide": """
SELECT d.case_id, d.seq, d.step, d.at, CAST(NULL AS DATE) AS day, MIN(a.step) AS v1, d.actor AS v2
FROM events AS a
JOIN events AS d ON d.case_id = a.case_id AND d.actor = a.actor AND d.seq > a.seq
JOIN cases AS c ON c.id = a.case_id
JOIN supervision_flowstep AS fa ON fa.flowchart_id = c.flowchart_id AND fa.step_id = a.step_id
JOIN supervision_flowstep AS fd ON fd.flowchart_id = c.flowchart_id AND fd.step_id = d.step_id
WHERE a.action = 'complete' AND d.action = 'complete'
  AND a.step IN ({accept_steps}) AND d.step IN ({decide_steps})
  AND fa.role <> '' AND fd.role <> '' AND fa.role <> fd.role
GROUP BY d.case_id, d.seq, d.step, d.at, d.actor
""",
    "quiet-day-inspection": """
SELECT e.case_id, e.seq, e.step, e.at, BEIJING_DATE(e.at) AS day,
       CAST(COALESCE(q.first_day, {first_day}) AS STRING) AS v1, CAST(COALESCE(q.last_day, {last_day}) AS STRING) AS v2
FROM events AS e
JOIN cases AS c ON c.id = e.case_id
JOIN catalog_poweritem AS i ON i.id = c.item_id
LEFT JOIN supervision_quietdays AS q ON q.jurisdiction_id = c.jurisdiction_id
WHERE i.category = '06' AND e.action = 'complete' AND e.step IN ({inspection_steps})
  AND DAY_OF(BEIJING_DATE(e.at)) >= COALESCE(q.first_day, {first_day})
  AND DAY_OF(BEIJING_DATE(e.at)) <= COALESCE(q.last_day, {last_day})
""",
}

# penalty-out-of-range and second-approval-missing: their own module (discretion tables, risk points)
from powerlist.supervision.rules_discretion import SQL as _DISCRETION  # noqa: E402

SQL.update(_DISCRETION)
