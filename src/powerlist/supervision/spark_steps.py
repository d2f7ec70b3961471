"""A rule's SQL as Spark runs it well. Spark inlines a common table expression at every place it is
read and computes it again each time: the control-flow query reads its traces, variants and
completed steps at many places, and on 10,000 cases ran for ten minutes. `steps` splits a rule into
the expressions read more than once, each computed once as a view of its own (named with a prefix,
so rules running side by side keep theirs apart), and the query left over that reads them."""

from collections import Counter

import sqlglot
from sqlglot import exp

WITH = "with_" if "with_" in exp.Select.arg_types else "with"  # the key sqlglot keeps a WITH under


def steps(sql: str, prefix: str) -> tuple[list[tuple[str, str]], str]:
    """([(view name, its SELECT)], the final query) for a rule's Spark SQL: the views in the order
    they must be made, each reading only tables and earlier views."""
    tree = sqlglot.parse_one(sql, read="spark")
    with_ = tree.args.get(WITH)
    if with_ is None:
        return [], sql
    ctes = list(with_.expressions)
    names = {cte.alias_or_name for cte in ctes}
    reads = Counter(t.name for t in tree.find_all(exp.Table) if t.name in names and not t.db)
    renamed, made, inline = {}, [], []

    def rename(node):
        for table in node.find_all(exp.Table):
            if not table.db and table.name in renamed:
                alias = table.alias or table.name
                table.set("this", exp.to_identifier(renamed[table.name]))
                if not table.alias:
                    table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
        return node

    for cte in ctes:
        body = rename(cte.this.copy())
        name = cte.alias_or_name
        if reads[name] > 1:
            view = f"{prefix}_{name}"
            if inline:  # expressions read once before this one, that it may read
                body = body.copy()
                body.set(WITH, exp.With(expressions=[c.copy() for c in inline]))
            made.append((view, body.sql(dialect="spark")))
            renamed[name] = view
        else:
            inline.append(exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(name))))
    final = tree.copy()
    final.set(WITH, None)
    rename(final)
    if inline:
        final.set(WITH, exp.With(expressions=[rename(c) for c in inline]))
    return made, final.sql(dialect="spark")
