"""The first download of a newly published version's PDF: made on the spot (what every first
request cost before publication made the files) against served from disk after publication.

    POWERLIST_DATA_DIR=DIR python bench/first_download_bench.py [--jurisdiction 430304]

Runs on the database of DIR (e.g. one `powerlist demo --no-serve` built). It times, on the latest
version of the jurisdiction, in one run: (1) a GET of its PDF through Django's test client with no
file made yet (the folder of that version's files is moved aside first), (2) making every file of
the version as publication does (portal/tasks.build_files: the whole list and each department, five
formats), (3) the same GET again, now a file on disk. Prints seconds; nothing is asserted.
"""

import argparse
import os
import shutil
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powerlist.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jurisdiction", default="430304")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from powerlist.catalog.models import ListVersion
    from powerlist.portal import opendata, tasks

    settings.ALLOWED_HOSTS = ["*"]
    version = ListVersion.objects.filter(jurisdiction__code=args.jurisdiction).order_by("-number").first()
    if version is None:
        sys.exit(f"no published version of {args.jurisdiction}")
    folder = opendata.artefact_folder(version)
    if folder.exists():
        shutil.move(folder, folder.with_name(folder.name + f".aside-{int(time.time())}"))
    url = f"/j/{args.jurisdiction}/v/{version.number}/pdf/"
    client = Client()

    def get() -> float:
        start = time.perf_counter()
        response = client.get(url)
        b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - start

    on_the_spot = get()
    shutil.rmtree(folder)
    start = time.perf_counter()
    made = tasks.build_files(version)
    build = time.perf_counter() - start
    from_disk = min(get() for _ in range(5))
    print(f"version {version.number} of {args.jurisdiction}: {version.item_count} items, "
          f"{len(opendata.departments(version))} departments")
    print(f"first PDF request, made on the spot: {on_the_spot:.2f} s ({(folder / 'list.pdf').stat().st_size:,} bytes)")
    print(f"publication making every file: {made} files in {build:.1f} s")
    print(f"first PDF request after publication (from disk, best of 5): {from_disk * 1000:.1f} ms")


if __name__ == "__main__":
    main()
