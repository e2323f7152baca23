"""YAML to plain data, remembering the line of every value so that errors can name it.

Differences from ``yaml.safe_load``, on purpose: dates stay strings (the schema checks their form, and the
checksum is computed over exactly what was written), a duplicate key is an error instead of silently
taking the last value, and anchors/aliases are refused (a pack is data, not a graph).
"""

from dataclasses import dataclass, field
from typing import Any

import yaml

from cockpit.indicators.errors import PackInvalidError, Problem

Path = tuple[str | int, ...]


class _PlainLoader(yaml.SafeLoader):
    """A safe loader without the timestamp resolver: 2025-06-03 stays the string "2025-06-03"."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class SourceDocument:
    """Parsed data plus ``lines``: the 1-based line of each value, by its path in the data."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, else of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: Path, detail: str) -> Problem:
        return Problem(self.file, self.line_of(path), format_path(path), detail)


def format_path(path: Path) -> str:
    """("indicators", 2, "hit") -> "indicators[2].hit"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def parse_yaml(text: str, file: str) -> SourceDocument:
    loader = _PlainLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise PackInvalidError([Problem(file, line, "", f"not valid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise PackInvalidError([Problem(file, None, "", f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    document = SourceDocument(file, None)
    if node is None:
        raise PackInvalidError([Problem(file, 1, "", "the file is empty")])
    converter = _Converter(loader, document)
    document.data = converter.convert(node, ())
    if converter.problems:
        raise PackInvalidError(converter.problems)
    return document


class _Converter:
    def __init__(self, loader: _PlainLoader, document: SourceDocument) -> None:
        self.loader = loader
        self.document = document
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, path: Path) -> Any:
        document = self.document
        document.lines[path] = node.start_mark.line + 1
        if id(node) in self.seen:  # the same node reached twice: an alias
            self.problems.append(document.problem(path, "anchors and aliases are not allowed in a pack"))
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    self.problems.append(document.problem(path, f"key {key!r} is not a string"))
                    continue
                if key in result:
                    line = key_node.start_mark.line + 1
                    self.problems.append(
                        Problem(document.file, line, format_path((*path, key)), "duplicate key")
                    )
                    continue
                result[key] = self.convert(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)
