"""Each rule is written once, in Spark SQL, and sqlglot transpiles it for SQLite and PostgreSQL.
Two things sqlglot does not carry over correctly are written as macros, rendered per dialect by
generators that extend sqlglot's own:

- `BEIJING_DATE(ts)`: the Beijing date of a stored UTC timestamp (Asia/Shanghai has kept UTC+8
  without summer time since 1991). sqlglot's rendering of `FROM_UTC_TIMESTAMP` for PostgreSQL
  converts the wrong way, and SQLite has no time zones.
- `DAY_OF(date)`: the day of the month (SQLite has no DAYOFMONTH).
- `TRACE(text)`: an aggregate joining a group's texts into one string to group and join on, sorted
  where the database can (SQLite 3.40 cannot order an aggregate: its texts come in scan order).

The engines read the same table and column names: the Django tables on SQLite and PostgreSQL,
temporary views over the Parquet export on Spark."""

from functools import lru_cache

import sqlglot
from sqlglot.dialects.postgres import Postgres
from sqlglot.dialects.spark import Spark
from sqlglot.dialects.sqlite import SQLite

MACROS = {
    "sqlite": {"BEIJING_DATE": "DATE({0}, '+8 hours')", "DAY_OF": "CAST(STRFTIME('%d', {0}) AS INTEGER)",
               "TRACE": "GROUP_CONCAT({0}, '\x1e')"},
    "postgres": {"BEIJING_DATE": "CAST(({0} AT TIME ZONE 'Asia/Shanghai') AS DATE)",
                 "DAY_OF": "CAST(EXTRACT(DAY FROM {0}) AS INTEGER)",
                 "TRACE": "STRING_AGG({0}, '\x1e' ORDER BY {0})"},
    "spark": {"BEIJING_DATE": "TO_DATE(FROM_UTC_TIMESTAMP({0}, 'Asia/Shanghai'))", "DAY_OF": "DAYOFMONTH({0})",
              "TRACE": "ARRAY_JOIN(ARRAY_SORT(COLLECT_LIST({0})), '\x1e')"},
}


def _with_macros(base, name: str):
    macros = MACROS[name]

    class Generator(base.Generator):
        def anonymous_sql(self, expression):
            template = macros.get(expression.name.upper())
            if template is None:
                return super().anonymous_sql(expression)
            return template.format(*(self.sql(a) for a in expression.expressions))

    return type(f"Supervision{base.__name__}", (base,), {"Generator": Generator})


DIALECTS = {"sqlite": _with_macros(SQLite, "sqlite"), "postgres": _with_macros(Postgres, "postgres"),
            "spark": _with_macros(Spark, "spark")}
VENDOR = {"sqlite": "sqlite", "postgresql": "postgres"}  # Django's connection.vendor -> our dialect


@lru_cache(maxsize=256)
def transpile(sql: str, dialect: str) -> str:
    """The Spark SQL text of a rule in `dialect` (sqlite, postgres or spark)."""
    return sqlglot.transpile(sql, read="spark", write=DIALECTS[dialect])[0]
