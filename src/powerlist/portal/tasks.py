"""Every download of a published version is made at publication, so the first citizen never
waits: the whole list and each department's part, in every format. A background job (django-tasks,
database backend: `powerlist serve` runs its worker) makes them; `powerlist publish` makes them
itself before it returns. A download asked for before its file is ready is made on the spot."""

import logging

from django_tasks import task

from powerlist.catalog.models import ListVersion
from powerlist.portal import opendata

log = logging.getLogger(__name__)


def build_files(version: ListVersion) -> int:
    """Make every file of the version not made yet; the number of files there now. Without
    WeasyPrint's libraries the PDFs are left out (their page says why)."""
    made = 0
    for department in [None, *[d for d in opendata.departments(version) if d["id"] is not None]]:
        for fmt in opendata.FORMATS:
            try:
                opendata.artefact(version, fmt, department)
            except opendata.PdfUnavailable:
                continue
            made += 1
    return made


@task()
def build_version_files(version_id: int) -> int:
    version = ListVersion.objects.select_related("jurisdiction").filter(pk=version_id).first()
    return build_files(version) if version is not None else 0


def on_version_published(sender, version, build_now=False, **kwargs):
    if build_now:
        build_files(version)
    else:
        build_version_files.enqueue(version.pk)
