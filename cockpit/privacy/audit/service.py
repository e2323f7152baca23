"""The audit log for the window and the CLI: who looked at whom, who exported what, and the chain check.

``actor`` is asked on every call, so that a sign-in (``Practice.actor = ...``) takes effect at once.
"""

from collections.abc import Callable
from datetime import date

from cockpit.privacy.audit.chain import ChainReport
from cockpit.privacy.audit.log import AuditLog, AuditQuery, AuditRecord
from cockpit.privacy.identity import Actor
from cockpit.store import Store


class AuditService:
    def __init__(self, store: Store, actor: Callable[[], Actor]) -> None:
        self._log = AuditLog(store)
        self._actor = actor

    def search(
        self,
        *,
        patient: str | None = None,
        user: str | None = None,
        since: date | None = None,
        until: date | None = None,
        data_out: bool = False,
        purpose: str | None = None,
    ) -> list[AuditRecord]:
        """Entries matching every given filter, oldest first. ``patient``: CPR, FHIR id or internal id;
        a patient no longer in the store is found by the FHIR id the entries kept."""
        keys = self._log.patient_keys(patient) if patient is not None else None
        query = AuditQuery(patient=keys, user=user, since=since, until=until, data_out=data_out)
        return self._log.query(self._actor(), query, purpose)

    def for_patient(self, patient: str, purpose: str | None = None) -> list[AuditRecord]:
        """Who looked at this patient: the answer to a patient's request for access."""
        return self.search(patient=patient, purpose=purpose)

    def for_user(self, user: str) -> list[AuditRecord]:
        return self.search(user=user)

    def between(self, since: date | None, until: date | None) -> list[AuditRecord]:
        return self.search(since=since, until=until)

    def data_out(self, since: date | None = None, until: date | None = None) -> list[AuditRecord]:
        return self.search(since=since, until=until, data_out=True)

    def record_data_out(
        self,
        kind: str,
        destination: str,
        patient_count: int,
        what: str,
        *,
        purpose: str | None = None,
        patient_id: int | None = None,
    ) -> int:
        """See ``AuditLog.record_data_out``: call it before the data is written, printed or copied."""
        return self._log.record_data_out(
            self._actor(), kind, destination, patient_count, what, purpose=purpose, patient_id=patient_id
        )

    def verify(self) -> ChainReport:
        return self._log.verify()
