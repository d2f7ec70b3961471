"""The same rule SQL on Apache Spark (PySpark, local mode) over the county's events exported as
Parquet, partitioned by jurisdiction and month: the same alerts as the database's own sweep, landed
in the same table (no duplicates). Skipped, saying why, without PySpark or Java. The Spark session
starts once for this module."""

import json

import pytest
from django.core.management import call_command

from powerlist.core.scope import SYSTEM
from powerlist.supervision import engine, spark
from powerlist.supervision.models import Alert
from powerlist.supervision.services import sweeps
from powerlist.supervision.tests.scene import build, named

pytestmark = [pytest.mark.skipif(bool(spark.available()), reason=spark.available() or "Spark available"),
              pytest.mark.slow]  # a JVM starts for it: run by `pytest -m slow`


@pytest.fixture(scope="module", autouse=True)
def _one_session():
    spark.session()
    yield
    spark.stop()


def test_spark_finds_the_same_alerts_as_the_database(county, departments, users, settings, capsys):
    scene = build(county, departments, users)
    call_command("supervise", "sweep", "--jurisdiction", "430304", "--engine", "spark", "--json")
    on_spark = json.loads(capsys.readouterr().out)
    assert named(scene, on_spark) == sorted(scene["expected"])
    assert on_spark == engine.shape(sweeps.sweep(SYSTEM, "430304", "sql")) == sweeps.alerts(SYSTEM, "430304")
    assert Alert.objects.count() == len(scene["expected"])
    exported = settings.POWERLIST_DATA_DIR / "supervision" / "parquet" / "operation_caseevent"
    parts = sorted(p.relative_to(exported).as_posix() for p in exported.glob("jurisdiction=*/month=*"))
    assert parts == ["jurisdiction=430304/month=2025-03", "jurisdiction=430304/month=2025-04",
                     "jurisdiction=430304/month=2025-05",
                     *sorted({f"jurisdiction=430304/month={c.accepted_at.astimezone(spark.BEIJING):%Y-%m}"
                              for c in scene["cases"].values() if c.accepted_at.year > 2025})]
