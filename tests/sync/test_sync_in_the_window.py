"""Sync from the window against the real test server: "sync now" runs on its own thread, the list and the
status line follow, and the open patient's overview refreshes when a sync changes that patient."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from cockpit.services.practice import Practice
from cockpit.sync.settings import SyncSettings, save_settings
from cockpit.views.main_window import MainWindow
from tests.sync.transport_fixtures import FaultServer, respond, serve

pytestmark = pytest.mark.gui
NEW_DISPLAY = "Changed on the server for this test"


def test_sync_now_fills_the_window_and_refreshes_the_open_patient(
    qtbot: QtBot, fresh_fhir_server: str, make_store: Any
) -> None:
    store = make_store()
    save_settings(store.paths.home, SyncSettings(server_url=fresh_fhir_server))
    win = MainWindow(lambda _report: Practice(store))
    qtbot.addWidget(win)
    status = win.sync_status
    with qtbot.waitSignal(status.state_shown, timeout=10_000) as shown:
        win.show()
        win.start()
    assert shown.args[0].configured and shown.args[0].last_success is None
    assert status.button.isEnabled()
    assert win.model.rowCount() == 0

    outcomes: list[Any] = []
    status.synced.connect(outcomes.append)
    status.failed.connect(outcomes.append)  # a message: shown by the assert below
    status.button.click()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=120_000)
    assert not isinstance(outcomes[0], str), outcomes[0]
    assert len(outcomes[0].changed_patient_ids) == 100
    qtbot.waitUntil(lambda: win.model.rowCount() == 100, timeout=10_000)
    qtbot.waitUntil(lambda: "Synkroniseret" in status.label.text(), timeout=10_000)

    # Open a patient with a diagnosis, change that diagnosis on the server, sync: the overview follows.
    bundle = httpx.get(f"{fresh_fhir_server}/Condition?_count=1", timeout=30).json()
    condition = bundle["entry"][0]["resource"]
    patient_fhir_id = condition["subject"]["reference"].removeprefix("Patient/")
    with qtbot.waitSignal(win.overview_shown, timeout=10_000):
        win.open_patient(patient_fhir_id)
    assert NEW_DISPLAY not in [row.display for row in win.panel.diagnoses.model.rows]
    condition["code"]["text"] = NEW_DISPLAY
    for coding in condition["code"].get("coding", []):
        coding["display"] = NEW_DISPLAY
    response = httpx.put(
        f"{fresh_fhir_server}/Condition/{condition['id']}",
        json=condition,
        headers={"Content-Type": "application/fhir+json"},
        timeout=30,
    )
    assert response.is_success
    with qtbot.waitSignals([status.synced, win.overview_shown], timeout=60_000):
        status.sync_now()
    assert NEW_DISPLAY in [row.display for row in win.panel.diagnoses.model.rows]
    win.close()


def test_a_sync_applied_elsewhere_is_noticed_and_shown(
    qtbot: QtBot, fresh_fhir_server: str, make_store: Any
) -> None:
    from cockpit.sync.engine import sync_server  # noqa: PLC0415

    store = make_store()
    settings = SyncSettings(server_url=fresh_fhir_server)
    save_settings(store.paths.home, settings)
    sync_server(store, settings)  # the first sync, before the window: the state has a last success
    win = MainWindow(lambda _report: Practice(store))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.sync_status.state_shown, timeout=10_000):
        win.show()
        win.start()
    qtbot.waitUntil(lambda: win.model.rowCount() == 100, timeout=10_000)
    # Another process (a scheduled `cockpit sync`, another workstation) deletes a patient by a sync.
    patient = httpx.get(f"{fresh_fhir_server}/Patient?_count=1", timeout=30).json()["entry"][0]["resource"]
    assert httpx.delete(f"{fresh_fhir_server}/Patient/{patient['id']}", timeout=30).is_success
    sync_server(store, settings)
    with qtbot.waitSignal(win.sync_status.changed_elsewhere, timeout=10_000):
        win.sync_status.refresh()  # what the watch timer does every 30 s
    qtbot.waitUntil(lambda: win.model.rowCount() == 99, timeout=10_000)
    win.close()


@pytest.fixture
def refusing_server() -> Iterator[FaultServer]:
    """A real server on 127.0.0.1 that answers 401 to everything."""
    for server in serve():
        server.route("/fhir/metadata", respond(401))
        yield server


def test_a_refused_sync_says_in_danish_what_to_do_and_names_the_servers_answer(
    qtbot: QtBot, make_store: Any, refusing_server: FaultServer
) -> None:
    store = make_store()
    save_settings(store.paths.home, SyncSettings(server_url=f"{refusing_server.url}/fhir"))
    win = MainWindow(lambda _report: Practice(store))
    qtbot.addWidget(win)
    status = win.sync_status
    with qtbot.waitSignal(status.state_shown, timeout=10_000):
        win.show()
        win.start()
    with qtbot.waitSignal(status.failed, timeout=60_000) as failed:
        status.button.click()
    head, detail = failed.args[0].split("\n")
    assert head == (
        "Synkronisering: serveren afviste adgangen. Tjek praksisens token eller nøgle (cockpit sync-auth)."
    )
    assert "401" in detail  # the error's own text, for whoever sets the sync up
    assert win.notice.isVisible() and win.notice.text() == failed.args[0]
    assert win.model.rowCount() == 0
