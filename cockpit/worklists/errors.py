"""Worklist errors: messages for users, never with a CPR number, a name or a clinical value."""

from cockpit.errors import CockpitError, InputError


class WorklistNotFoundError(InputError):
    """No list or item with that id."""

    exit_code = 6


class ConflictError(CockpitError):
    """Someone else changed the item since the caller read it: the caller's change was not applied and
    the other change stays. The message names who changed what and when (fields only, never notes)."""

    exit_code = 13

    def __init__(self, message: str, *, item_ids: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.item_ids = item_ids
