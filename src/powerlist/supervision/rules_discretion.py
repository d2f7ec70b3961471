"""The SQL of the rules over discretion decisions and second approvals (Spark SQL, transpiled like
the others in `rules`; merged into `rules.SQL`). Same columns as every rule: case_id, seq, step,
at, day, v1, v2.

`penalty-out-of-range` recomputes what the benchmark allows from the recorded facts and the base,
never from a stored range. An event with a grade (`discretion`) and an amount or a penalty type is
checked against the discretion table (`discretion_benchmark`) that was in force for its item when
it happened (the item's rows of the last import before the event), the row picked as the case
service picks it (the first whose grade, circumstances, or `grade/circumstances` equal the facts),
its fines, measures and daily penalty as `discretion_allowance` rows; a fine that is a percentage
or multiple is taken of the base the officer recorded (`discretion_decision.base`), bounds rounded
to the cent.

The event's `penalty_type` names one or several types (`警告、罚款`, `罚款，没收违法所得`: joined by
、，,；;+ 和 及 并处 or in brackets), each by the name the parsed 裁量标准 gives it (`TYPES`: 罚款 and
the measures of `discretion.parse.MEASURES`); a daily penalty (按日连续处罚) is written
`按日连续处罚N日` (or N天, N in digits), alone or beside 罚款, with `amount` the total: its per-day
amount, amount ÷ N, must lie in the row's range (each bound to the cent, times N).

v2 says what is wrong, `kind:facts`: `range` (the amount fits none of the row's fines), `daily`
(the per-day amount of a daily penalty fits none of them; v1 `amount×days`), `no-days` (a daily
penalty without its number of days in digits, which cannot be checked), `no-base` (the row's fines are shares
of a base and none was recorded: an event pushed by a department's system without one cannot be
checked, which is itself a finding), `type` (a penalty type the row does not allow, each of several
checked, 按日连续处罚 where the row has none; or words that name no penalty type; v1 the type or the
words), `no-row` (no row matches the facts: an error, never an open range), `unstructured` (the row
waits for a person to structure it). Items without an imported table fall back to the catalogue's
older item-level rows (`catalog_discretionbenchmark`, absolute amounts), as before: only `range`.

`second-approval-missing`: a completed step of an item with a high-risk point (高) that requires a
second approver, matched to the step as the case page matches it (the point's step without a
trailing 环节/阶段/过程/程序/步骤, equal to the step or one within the other), with no approval
(action `approve`) by another person since the step's previous completion. v1 is who completed
it, v2 `none` or `same` (only the completer approved)."""

from powerlist.discretion.parse import MEASURES, TYPE_SEPARATORS

FINE, DAILY = "罚款", "按日连续处罚"
TYPES = (FINE, *(name for name, _pattern in MEASURES), DAILY)  # the names a penalty_type is read in
# what may stand between the names (and the days of a daily penalty) in a penalty_type
JOINERS = (*TYPE_SEPARATORS, "（", "）", "(", ")", *"0123456789", "日", "天")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _stripped(column: str, words) -> str:
    """`column` with every one of `words` removed (nested REPLACE: the same in every dialect)."""
    out = column
    for word in words:
        out = f"REPLACE({out}, {_quoted(word)}, '')"
    return out


_VOCABULARY = "\n  UNION ALL ".join(f"SELECT {_quoted(name)} AS name" for name in TYPES)
_DIGITS_LEFT = _stripped("digits", "0123456789")


def _words_left() -> str:
    """CTEs pen_words_0 … pen_words_N (the last is `pen_unknown_words`): each event's penalty_type
    with the type names and joiners removed a few at a time (sqlglot parses a few nested calls, not
    fifty), what is left is words that name no type."""
    words = [*TYPES, *JOINERS]
    chunks = [words[i:i + 8] for i in range(0, len(words), 8)]
    out, source, column = [], "pen_decided WHERE penalty_type <> ''", "penalty_type"
    for k, chunk in enumerate(chunks):
        name = "pen_unknown_words" if k == len(chunks) - 1 else f"pen_words_{k}"
        out.append(f"{name} AS (\n  SELECT id, {_stripped(column, chunk)} AS words FROM {source}\n)")
        source, column = name, "words"
    return ",\n".join(out)


SQL = {
    "penalty-out-of-range": """
WITH pen_decided AS (
  SELECT e.id, e.case_id, e.seq, e.step, e.at, e.amount, e.penalty_type, e.discretion, c.item_id, d.base
  FROM events AS e
  JOIN cases AS c ON c.id = e.case_id
  LEFT JOIN discretion_decision AS d ON d.event_id = e.id
  WHERE e.discretion <> '' AND (e.amount IS NOT NULL OR e.penalty_type <> '')
),
pen_tabled AS (
  SELECT x.id, MAX(t.imported_at) AS imported_at
  FROM pen_decided AS x
  JOIN discretion_benchmark AS b ON b.item_id = x.item_id
  JOIN discretion_tableimport AS t ON t.id = b.source_id AND t.imported_at <= x.at
  GROUP BY x.id
),
pen_chosen AS (
  SELECT x.id, MIN(b.id) AS benchmark_id
  FROM pen_decided AS x
  JOIN pen_tabled AS tb ON tb.id = x.id
  JOIN discretion_tableimport AS t ON t.imported_at = tb.imported_at
  JOIN discretion_benchmark AS b ON b.source_id = t.id AND b.item_id = x.item_id
  WHERE x.discretion = TRIM(b.grade) OR x.discretion = TRIM(b.circumstances)
     OR x.discretion = CONCAT(TRIM(b.grade), '/', TRIM(b.circumstances))
  GROUP BY x.id
),
pen_daily_text AS (
  SELECT id, SUBSTR(rest, 1, COALESCE(NULLIF(INSTR(rest, '日'), 0), NULLIF(INSTR(rest, '天'), 0), 1) - 1) AS digits
  FROM (SELECT id, SUBSTR(penalty_type, INSTR(penalty_type, '按日连续处罚') + 6) AS rest
        FROM pen_decided WHERE INSTR(penalty_type, '按日连续处罚') > 0) AS after_word
),
pen_daily AS (
  SELECT id, CASE WHEN parsed > 0 THEN parsed END AS days
  FROM (SELECT id, CASE WHEN digits <> '' AND LENGTH(digits) <= 4 AND @DIGITS_LEFT@ = ''
                        THEN CAST(digits AS INT) END AS parsed  -- cast only digits (PostgreSQL raises on others)
        FROM pen_daily_text) AS read_days
),
pen_fits AS (
  SELECT DISTINCT x.id
  FROM pen_decided AS x
  JOIN pen_chosen AS ch ON ch.id = x.id
  LEFT JOIN pen_daily AS dd ON dd.id = x.id
  JOIN discretion_allowance AS a ON a.benchmark_id = ch.benchmark_id
  WHERE x.amount IS NOT NULL AND (dd.id IS NULL OR dd.days IS NOT NULL) AND (
    (a.kind = 'absolute' AND (a.minimum IS NULL OR x.amount >= ROUND(a.minimum, 2) * COALESCE(dd.days, 1))
                         AND (a.maximum IS NULL OR x.amount <= ROUND(a.maximum, 2) * COALESCE(dd.days, 1)))
    OR (a.kind IN ('percent', 'multiple') AND x.base IS NOT NULL
        AND (a.minimum IS NULL OR x.amount >= ROUND(a.minimum * x.base, 2) * COALESCE(dd.days, 1))
        AND (a.maximum IS NULL OR x.amount <= ROUND(a.maximum * x.base, 2) * COALESCE(dd.days, 1))))
),
pen_shares AS (
  SELECT DISTINCT benchmark_id FROM discretion_allowance WHERE kind IN ('percent', 'multiple')
),
pen_types AS (
  SELECT DISTINCT benchmark_id, name FROM discretion_allowance WHERE kind = 'measure'
  UNION
  SELECT DISTINCT benchmark_id, '罚款' AS name FROM discretion_allowance WHERE kind IN ('absolute', 'percent', 'multiple')
  UNION
  SELECT DISTINCT benchmark_id, '按日连续处罚' AS name FROM discretion_allowance WHERE kind = 'daily'
),
pen_vocabulary AS (
  @VOCABULARY@
),
pen_wrong_type AS (
  SELECT x.id, MIN(v.name) AS name
  FROM pen_decided AS x
  JOIN pen_chosen AS ch ON ch.id = x.id
  JOIN pen_vocabulary AS v ON INSTR(x.penalty_type, v.name) > 0
  LEFT JOIN pen_types AS ty ON ty.benchmark_id = ch.benchmark_id AND ty.name = v.name
  WHERE ty.name IS NULL
  GROUP BY x.id
),
@WORDS_LEFT@,
pen_judged AS (
  SELECT x.case_id, x.seq, x.step, x.at, x.amount, x.penalty_type, x.discretion, dd.days,
         COALESCE(w.name, uw.words) AS wrong,
         CASE WHEN ch.benchmark_id IS NULL THEN 'no-row'
              WHEN b.needs_person THEN 'unstructured'
              WHEN w.id IS NOT NULL THEN 'type'
              WHEN x.amount IS NOT NULL AND dd.id IS NOT NULL AND dd.days IS NULL THEN 'no-days'
              WHEN uw.words <> '' THEN 'type'
              WHEN x.amount IS NOT NULL AND f.id IS NULL AND x.base IS NULL AND sh.benchmark_id IS NOT NULL
                THEN 'no-base'
              WHEN x.amount IS NOT NULL AND f.id IS NULL AND dd.id IS NOT NULL THEN 'daily'
              WHEN x.amount IS NOT NULL AND f.id IS NULL THEN 'range'
              ELSE '' END AS kind
  FROM pen_decided AS x
  JOIN pen_tabled AS tb ON tb.id = x.id
  LEFT JOIN pen_chosen AS ch ON ch.id = x.id
  LEFT JOIN discretion_benchmark AS b ON b.id = ch.benchmark_id
  LEFT JOIN pen_fits AS f ON f.id = x.id
  LEFT JOIN pen_shares AS sh ON sh.benchmark_id = ch.benchmark_id
  LEFT JOIN pen_daily AS dd ON dd.id = x.id
  LEFT JOIN pen_wrong_type AS w ON w.id = x.id
  LEFT JOIN pen_unknown_words AS uw ON uw.id = x.id
)
SELECT case_id, seq, step, at, CAST(NULL AS DATE) AS day,
       CASE WHEN kind = 'type' THEN wrong
            WHEN kind = 'daily' THEN CONCAT(CAST(amount AS STRING), '×', CAST(days AS STRING))
            ELSE CAST(amount AS STRING) END AS v1,
       CONCAT(kind, ':', discretion) AS v2
FROM pen_judged
WHERE kind <> ''
UNION ALL
SELECT x.case_id, x.seq, x.step, x.at, CAST(NULL AS DATE) AS day, CAST(x.amount AS STRING) AS v1,
       CONCAT('range:', x.discretion) AS v2
FROM pen_decided AS x
JOIN (SELECT item_id, grade, MIN(min_fine) AS low, MAX(max_fine) AS high
      FROM catalog_discretionbenchmark GROUP BY item_id, grade) AS cb
  ON cb.item_id = x.item_id AND cb.grade = x.discretion
LEFT JOIN pen_tabled AS tb ON tb.id = x.id
WHERE tb.id IS NULL AND x.amount IS NOT NULL
  AND ((cb.low IS NOT NULL AND x.amount < cb.low) OR (cb.high IS NOT NULL AND x.amount > cb.high))
""".replace("@DIGITS_LEFT@", _DIGITS_LEFT).replace("@VOCABULARY@", _VOCABULARY).replace("@WORDS_LEFT@", _words_left()),
    "second-approval-missing": """
WITH sa_points AS (
  SELECT DISTINCT item_id,
         CASE WHEN SUBSTR(TRIM(step), LENGTH(TRIM(step)) - 1, 2) IN ('环节', '阶段', '过程', '程序', '步骤')
              THEN SUBSTR(TRIM(step), 1, LENGTH(TRIM(step)) - 2) ELSE TRIM(step) END AS bare
  FROM catalog_riskpoint
  WHERE level = 'high' AND second_approver
),
sa_risky AS (
  SELECT DISTINCT e.case_id, e.seq, e.step, e.step_id, e.at, e.actor
  FROM sa_points AS p
  JOIN cases AS c ON c.item_id = p.item_id
  JOIN events AS e ON e.case_id = c.id AND e.action = 'complete'
  WHERE p.bare <> '' AND e.step <> '' AND (p.bare = e.step OR INSTR(e.step, p.bare) > 0 OR INSTR(p.bare, e.step) > 0)
),
sa_done AS (
  SELECT r.*, COALESCE(LAG(r.seq) OVER (PARTITION BY r.case_id, r.step_id, r.step ORDER BY r.seq), 0) AS prev
  FROM sa_risky AS r
)
SELECT r.case_id, r.seq, r.step, r.at, CAST(NULL AS DATE) AS day, r.actor AS v1,
       CASE WHEN COUNT(a.seq) > 0 THEN 'same' ELSE 'none' END AS v2
FROM sa_done AS r
LEFT JOIN events AS a
  ON a.case_id = r.case_id AND a.action = 'approve' AND a.step_id = r.step_id AND a.step = r.step
 AND a.seq < r.seq AND a.seq > r.prev
GROUP BY r.case_id, r.seq, r.step, r.at, r.actor
HAVING SUM(CASE WHEN a.actor <> r.actor THEN 1 ELSE 0 END) = 0
""",
}
