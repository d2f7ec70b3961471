"""Fixtures shared by every app's tests: a county with departments and users of each role, on
the real database selected by DATABASE_URL (SQLite by default, PostgreSQL in CI's second run)."""

from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from powerlist.core.models import Role, User
from powerlist.core.scope import SYSTEM
from powerlist.core.services import jurisdictions as jurisdiction_services
from powerlist.core.services import organisations as org_services

from powerlist.testing import law_corpus_file  # noqa: E402,F401 - tests import it from here

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def log_key_file(tmp_path_factory) -> Path:
    """One signing key for the audit log for the whole run: checkpoints issued while the session
    database is set up are signed with the key every test checks them with."""
    return tmp_path_factory.mktemp("log-key") / "log-key"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, log_key_file, tmp_path_factory):
    """The law corpus is loaded once into the test database: 378 law versions, 26,196 articles."""
    from django.test import override_settings

    from powerlist.core.scope import SYSTEM as system
    from powerlist.laws import verify
    from powerlist.laws.services import load_path

    with django_db_blocker.unblock(), override_settings(POWERLIST_DATA_DIR=tmp_path_factory.mktemp("data"),
                                                        POWERLIST_LOG_KEY_FILE=str(log_key_file)):
        load_path(system, law_corpus_file())
    verify.corpus_changed()


class QuickPasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 (the same algorithm, salt and stored form) with 1,000 iterations instead of
    a million: every test makes six accounts, and the million cost ~2 s of CPU per test."""

    iterations = 1000


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    from django.conf import global_settings
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["powerlist.conftest.QuickPasswordHasher",
                                             *global_settings.PASSWORD_HASHERS[1:]]):
        yield


@pytest.fixture(autouse=True)
def _data_dir_per_test(settings, tmp_path, log_key_file):
    """Every test writes its files (open data, the checkpoints kept outside the database) into
    its own directory, never into the user's data directory nor into another test's."""
    settings.POWERLIST_DATA_DIR = tmp_path / "data"
    settings.POWERLIST_LOG_KEY_FILE = str(log_key_file)


@pytest.fixture
def corpus_changes(db):
    """For tests that change the corpus: the in-memory index is dropped before and after."""
    from powerlist.laws import verify

    verify.corpus_changed()
    yield
    verify.corpus_changed()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def county(db):
    """湖南省湘潭市岳塘区 (430304) with its parents."""
    jurisdiction_services.add_jurisdiction(SYSTEM, "43", "湖南省", None)
    jurisdiction_services.add_jurisdiction(SYSTEM, "4303", "湘潭市", "43")
    return jurisdiction_services.add_jurisdiction(SYSTEM, "430304", "岳塘区", "4303")


@pytest.fixture
def other_county(county):
    return jurisdiction_services.add_jurisdiction(SYSTEM, "430302", "雨湖区", "4303")


@pytest.fixture
def departments(county):
    names = ["岳塘区教育局", "岳塘区市场监督管理局", "岳塘区卫生健康局"]
    return {n: org_services.create_organisation(SYSTEM, county, name=n) for n in names}


def make_user(username, role, jurisdiction=None, organisation=None) -> User:
    user = User(username=username, role=role, jurisdiction=jurisdiction, organisation=organisation,
                is_superuser=role == Role.ADMIN)
    return org_services.save_user(SYSTEM, user, password="correct-horse-battery")


@pytest.fixture
def users(county, departments):
    return {
        "admin": make_user("admin1", Role.ADMIN),
        "reviewer": make_user("reviewer1", Role.REVIEWER, county),
        "clerk": make_user("edu_clerk", Role.CLERK, county, departments["岳塘区教育局"]),
        "market_clerk": make_user("market_clerk", Role.CLERK, county, departments["岳塘区市场监督管理局"]),
        "inspector": make_user("inspector1", Role.INSPECTOR),
        "legal": make_user("legal1", Role.LEGAL, county),
    }


def item_document(code="430304-JY-XK-001", name="民办学校设立审批", organisation="岳塘区教育局", **extra) -> dict:
    doc = {
        "code": code, "name": name, "category": "01", "organisation": organisation,
        "citations": [{"kind": "setting", "text": "《中华人民共和国民办教育促进法》第十二条"}],
        "statutory_limit_days": 20, "promised_limit_days": 10,
        "responsibilities": [{"phase": "before", "stage": "受理责任", "content": "公示应当提交的材料，一次性告知补正材料"},
                             {"phase": "during", "stage": "审查责任", "content": "对申请材料进行审查"},
                             {"phase": "after", "stage": "事后监管责任", "content": "开展年度检查"}],
        "accountability": ["对符合法定条件的申请不予受理的", "违反法定程序实施行政许可的"],
        "risk_points": [{"level": "high", "step": "审查环节", "description": "降低标准违规审批",
                         "prevention": "集体审议，全程留痕"}],
        "flowchart": "受理 → 审查 → 决定 → 送达",
        "supervision_phone": "0731-58550000",
    }
    doc.update(extra)
    return doc


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached pages (ids are reused after a rolled-back test)."""
    from django.core.cache import cache

    cache.clear()
    yield
