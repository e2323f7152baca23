"""Patient Cockpit."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("patient-cockpit")
except PackageNotFoundError:  # a frozen build without the distribution's metadata
    __version__ = "unknown"
