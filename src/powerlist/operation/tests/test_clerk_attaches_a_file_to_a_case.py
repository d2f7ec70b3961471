"""A case's files are stored under POWERLIST_DATA_DIR/cases/ by their sha256 and recorded on the
transparency log; another department's clerk may not add one."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from powerlist.core.errors import PermissionDenied
from powerlist.core.models import AuditEntry
from powerlist.operation.services import cases


def test_file_stored_by_its_sha256(licence, users):
    case = cases.open_case(users["clerk"], licence.code, "430304")
    data = "场地租赁合同".encode() * 100
    attachment = cases.attach(users["clerk"], case.number, "合同.pdf", data)
    digest = hashlib.sha256(data).hexdigest()
    assert attachment.sha256 == digest and attachment.size == len(data)
    assert (Path(settings.POWERLIST_DATA_DIR) / attachment.path).read_bytes() == data
    assert digest in AuditEntry.objects.get(action="case.attach").payload
    with pytest.raises(PermissionDenied):
        cases.attach(users["market_clerk"], case.number, "x.pdf", b"x")
