"""What the case and event benchmarks start from: a fresh database (SQLite in a directory, or a
re-created PostgreSQL database), Django set up on it, and one published item of 岳塘区教育局 with
a four-step flowchart and its clerk."""

import os
from pathlib import Path

STEPS = ["受理", "审查", "决定", "送达"]


def fresh_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def django_on(db: str, data: Path, pg_name: str, sqlite_name: str | None = None) -> None:
    """Django set up and migrated on SQLite in `data` (the file `sqlite_name`, else named after
    `pg_name`) or on the PostgreSQL database `pg_name`; an existing database is migrated as far as
    it needs, its data kept."""
    os.environ["DATABASE_URL"] = (f"postgres://postgres@127.0.0.1:5432/{pg_name}" if db == "postgres"
                                  else f"sqlite:///{data / (sqlite_name or pg_name + '.sqlite3')}")
    os.environ["POWERLIST_DATA_DIR"] = str(data)
    os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "powerlist.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def county():
    """湖南省湘潭市岳塘区 (430304) with its parents."""
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import jurisdictions

    jurisdictions.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdictions.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    return jurisdictions.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")


def setup(db: str, data: Path, pg_name: str):
    """Django on the chosen database, migrated; returns (clerk, item)."""
    django_on(db, data, pg_name)
    from powerlist.catalog.services.items import create_item
    from powerlist.core.models import Role, User
    from powerlist.core.scope import SYSTEM
    from powerlist.core.services import organisations

    county_ = county()
    org = organisations.create_organisation(SYSTEM, county_, name="岳塘区教育局")
    clerk = organisations.save_user(SYSTEM, User(username="clerk", role=Role.CLERK, jurisdiction=county_,
                                                 organisation=org), password="bench-bench-bench")
    item = create_item(SYSTEM, county_, {"code": "430304-JY-XK-001", "name": "民办学校设立审批", "category": "01",
                                        "organisation": "岳塘区教育局", "status": "published",
                                        "statutory_limit_days": 20, "promised_limit_days": 10,
                                        "flowchart": " → ".join(STEPS)})
    return clerk, item
