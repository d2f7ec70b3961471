"""The discretion and second-approval rules on Apache Spark (local mode) over the Parquet export
(the discretion tables, decisions and risk points exported beside the events): the same alerts as
the database's own sweep. Skipped, saying why, without PySpark or Java."""

import pytest

from powerlist.core.scope import SYSTEM
from powerlist.supervision import engine, spark
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.discretion_scene import build, mine
from powerlist.supervision.tests.scene import named

pytestmark = [pytest.mark.skipif(bool(spark.available()), reason=spark.available() or "Spark available"),
              pytest.mark.slow]  # a JVM starts for it: run by `pytest -m slow`


@pytest.fixture(scope="module", autouse=True)
def _one_session():
    spark.session()
    yield
    spark.stop()


def test_spark_finds_the_same_decision_and_approval_alerts_as_the_database(county, departments, users, tmp_path):
    scene = build(county, departments, users, tmp_path)
    on_spark = engine.shape(sweeps.sweep(SYSTEM, "430304", "spark"))
    assert mine(named(scene, on_spark)) == sorted(scene["expected"])
    on_sql = engine.shape(sweeps.sweep(SYSTEM, "430304", "sql"))
    assert [a for a in on_spark["alerts"] if a["rule"] in ("penalty-out-of-range", "second-approval-missing")] == \
        [a for a in on_sql["alerts"] if a["rule"] in ("penalty-out-of-range", "second-approval-missing")]
