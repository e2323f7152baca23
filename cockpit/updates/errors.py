"""What can go wrong with an update, worded for the person who asked for it."""

from cockpit.errors import CockpitError


class UpdateError(CockpitError):
    """Updates are not set up, the repository cannot be reached, or there is nothing to roll back to."""

    exit_code = 11


class UpdateRefusedError(UpdateError):
    """The repository answered, but what it sent failed verification: nothing was installed."""

    exit_code = 12
