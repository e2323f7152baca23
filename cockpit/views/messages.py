"""What to tell the user about an error.

A CockpitError's own text is written for the user but in English: it is the CLI's text too, and names the
details (the server's answer, the file, who changed an item). The window says first, in its own
language, what happened and what to do, then that text.
"""

from typing import Final

from PySide6.QtCore import QCoreApplication

from cockpit.errors import (
    CockpitError,
    KeyringUnavailableError,
    PermissionDeniedError,
    StoreDamagedError,
    StoreFullError,
    StoreKeyMissingError,
    StoreLockedError,
    StoreVersionError,
    SyncAuthError,
    SyncError,
    SyncNetworkError,
    SyncTLSError,
)
from cockpit.updates.errors import UpdateError, UpdateRefusedError
from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.worklists.errors import ConflictError

_CONTEXT: Final = "ErrorMessages"  # (written out in each marker below: lupdate reads only literals)
# The most specific kind first: the first that matches says it.
_HEADLINES: Final[tuple[tuple[type[CockpitError], str], ...]] = (
    (
        SyncAuthError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Synkronisering: serveren afviste adgangen. Tjek praksisens token eller nøgle "
            "(cockpit sync-auth).",
        ),
    ),
    (
        SyncTLSError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Synkronisering: serverens certifikat kunne ikke bekræftes. Tjek adressen, eller sæt praksisens "
            "CA-fil op.",
        ),
    ),
    (
        SyncNetworkError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Synkronisering: serveren svarer ikke lige nu. Næste synkronisering fortsætter, hvor denne slap.",
        ),
    ),
    (
        SyncError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "Synkroniseringen kunne ikke gøres færdig; data i cockpittet er uændrede."
        ),
    ),
    (
        StoreFullError,
        QT_TRANSLATE_NOOP("ErrorMessages", "Disken er fuld. Intet er gået tabt; frigør plads, og prøv igen."),
    ),
    (
        KeyringUnavailableError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "Computerens nøglering kan ikke nås, så databasen kan ikke låses op. Kontakt IT."
        ),
    ),
    (
        StoreKeyMissingError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Databasens nøgle findes ikke i computerens nøglering. Kontakt IT (en sikkerhedskopi kan "
            "gendannes under en ny nøgle).",
        ),
    ),
    (
        StoreLockedError,
        QT_TRANSLATE_NOOP("ErrorMessages", "Databasen kan ikke åbnes med sin nøgle. Kontakt IT."),
    ),
    (
        StoreDamagedError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "Databasen er beskadiget. Kontakt IT: den kan gendannes fra en sikkerhedskopi."
        ),
    ),
    (
        StoreVersionError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Databasen er skrevet af en nyere Patient Cockpit. Opdatér programmet på denne computer.",
        ),
    ),
    (
        PermissionDeniedError,
        QT_TRANSLATE_NOOP("ErrorMessages", "Din rolle giver ikke adgang til dette."),
    ),
    (
        ConflictError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "En anden har ændret punktet imens: din ændring er ikke gemt, og listen er læst igen. Se "
            "punktet, og prøv igen.",
        ),
    ),
    (
        UpdateRefusedError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages",
            "Opdateringen blev afvist, fordi den ikke kunne bekræftes. Denne version kører videre.",
        ),
    ),
    (
        UpdateError,
        QT_TRANSLATE_NOOP(
            "ErrorMessages", "Opdateringen kunne ikke gennemføres. Denne version kører videre."
        ),
    ),
)


def error_message(error: BaseException) -> str:
    """For a CockpitError: what happened and what to do in the window's language (where the kind is
    known), then its own text. Otherwise only the type of an unexpected error: its message could carry
    data from the store."""
    if isinstance(error, CockpitError):
        for kind, headline in _HEADLINES:
            if isinstance(error, kind):
                return f"{QCoreApplication.translate(_CONTEXT, headline)}\n{error}"
        return str(error)
    return QCoreApplication.translate("MainWindow", "Uventet fejl ({error})").format(
        error=type(error).__name__
    )
