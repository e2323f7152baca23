"""A full sync never wipes the store by mistake: an empty server, or an export that reports errors."""

import json
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from cockpit.errors import SyncError
from cockpit.sync.engine import sync_server
from cockpit.sync.http import FhirHttp
from cockpit.sync.settings import SyncSettings
from tests.sync import peer
from tests.sync.content import counts, store_content


class ExportErrorTransport(httpx.HTTPTransport):
    """The real server, but its export manifest lists an error (an OperationOutcome file)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if "/bulk-status/" not in request.url.path or response.status_code != 200:
            return response
        manifest = json.loads(response.read())
        manifest["error"] = [{"type": "OperationOutcome", "url": manifest["output"][0]["url"]}]
        return httpx.Response(200, json=manifest, request=request)


def test_an_empty_server_does_not_empty_the_store_and_a_failed_export_changes_nothing(
    fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    sync_server(store, SyncSettings(server_url=fhir_server))
    before = store_content(store)
    assert counts(before)["patients"] == 100

    with (
        tempfile.TemporaryDirectory() as empty,
        peer.running_server(Path(empty)) as empty_url,
        pytest.raises(SyncError, match="sent no patients at all"),
    ):
        sync_server(store, SyncSettings(server_url=empty_url))
    assert store_content(store) == before

    http = FhirHttp(fhir_server, transport=ExportErrorTransport())
    with pytest.raises(SyncError, match="reported errors"):
        sync_server(store, SyncSettings(server_url=fhir_server), full=True, http=http)
    assert store_content(store) == before
