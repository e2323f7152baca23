"""The audit log, in one package: who looked at which patient or list, and what left the store.

- ``chain``: the hash chain: the hash formula (once), ``append_entry`` (the one way to append, inside the
  caller's transaction) and ``verify_chain``.
- ``log``: ``append`` as the signed-in actor, the data-out ledger, the queries (``AuditLog``).
- ``service``: ``AuditService``, what the window and the CLI ask (search, data out, verify).

The tables are ``cockpit.models.audit``, beside every other table. The names most callers need are
re-exported here.
"""

from cockpit.privacy.audit.chain import ChainReport, verify_chain
from cockpit.privacy.audit.log import DATA_OUT_KINDS, AuditLog, AuditQuery, AuditRecord, append
from cockpit.privacy.audit.service import AuditService

__all__ = [
    "DATA_OUT_KINDS",
    "AuditLog",
    "AuditQuery",
    "AuditRecord",
    "AuditService",
    "ChainReport",
    "append",
    "verify_chain",
]
