"""What can go wrong with a pack, in words a cluster coordinator can act on (file, line, field)."""

from dataclasses import dataclass

from cockpit.errors import CockpitError, InputError


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a pack file. ``field`` is a path such as ``indicators[2].hit.observation``."""

    file: str
    line: int | None
    field: str
    detail: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field or '(document)'}: {self.detail}"


class PackError(InputError):
    """A pack that cannot be used. Nothing was installed or changed."""


class PackInvalidError(PackError):
    """The file is not a valid pack: malformed YAML, a schema violation or a semantic problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = (
            f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})" if len(problems) > 1 else ""
        )
        super().__init__(first + more)


class PackTamperedError(PackError):
    """The pack's content does not match its checksum: it was changed after the cluster published it."""


class PackFixtureError(PackError):
    """A pack whose own fixtures fail: its indicators do not compute what its authors expected."""


class IndicatorNotFoundError(CockpitError):
    exit_code = 6


class ChoiceError(CockpitError):
    """An invalid change to the practice's choice (unknown indicator, threshold out of range)."""

    exit_code = 2
