"""A published version records the log's signed checkpoint at its publication, its page shows
it, and the checkpoint's last entry is the publication itself (with the list's sha256)."""

import html
import json
import re

from powerlist.core import notes
from powerlist.core.services import audit, checkpoints


def test_version_page_shows_the_checkpoint_signed_at_publication(published_list, client):
    first, second = published_list["versions"]
    assert first.checkpoint and second.checkpoint != first.checkpoint
    page = client.get(f"/j/{published_list['county'].code}/versions/").content.decode()
    shown = [html.unescape(p) for p in re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)]
    assert first.checkpoint in shown and second.checkpoint in shown
    assert 'href="/transparency/"' in page
    checkpoint = notes.verify_checkpoint(first.checkpoint, checkpoints.verifier(create=False))
    # the last entry the checkpoint covers is the publication, carrying the list's sha256
    publication = audit.inclusion_proof(checkpoint.size, checkpoint.size)
    assert publication["root_hash"] == checkpoint.root_b64
    data = json.loads(publication["leaf_data"])
    assert data["action"] == "list.publish" and first.sha256 in data["payload"]
