"""What to tell the user about an error."""

from PySide6.QtCore import QCoreApplication

from cockpit.errors import CockpitError


def error_message(error: BaseException) -> str:
    """A CockpitError's own text (written for the user), else only the type of an unexpected error: its
    message could carry data from the store."""
    if isinstance(error, CockpitError):
        return str(error)
    return QCoreApplication.translate("MainWindow", "Uventet fejl ({error})").format(
        error=type(error).__name__
    )
