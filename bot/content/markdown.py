"""Split an answers file into its YAML front matter and its Markdown sections."""

from __future__ import annotations

import re

import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_FENCE = re.compile(r"^(```|~~~)")


_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's C parser when PyYAML was built with it: about ten times faster at start-up."""


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key written twice in one mapping: YAML would keep the last
    silently, and an editor's second `ollama_tags:` would quietly replace the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = key_node.value
            if isinstance(key_node, yaml.ScalarNode) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is written twice", key_node.start_mark
                )
            if isinstance(key_node, yaml.ScalarNode):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> object:
    """Parse YAML safely (no arbitrary objects), with the fastest safe loader available; a key
    written twice in one mapping is an error."""
    return yaml.load(text, Loader=_StrictLoader)


class MarkdownError(ValueError):
    """The file is not front matter followed by Markdown."""


def yaml_problem(error: yaml.YAMLError) -> str:
    """One line naming the YAML problem and where it is, instead of PyYAML's multi-line text."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return problem
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return the front matter as a mapping and the Markdown body after it."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if match is None:
        raise MarkdownError("the file must start with YAML front matter between two '---' lines")
    try:
        data = load_yaml(match.group(1))
    except yaml.YAMLError as error:
        raise MarkdownError(f"the front matter is not valid YAML: {yaml_problem(error)}") from error
    if not isinstance(data, dict):
        raise MarkdownError("the front matter must be a mapping of fields")
    return data, match.group(2)


def sections(body: str, level: int) -> dict[str, str]:
    """Map each heading of `level` (2 for `##`) to the text under it, ignoring code fences.

    Headings keep their case; text before the first heading is returned under "".
    """
    marker = "#" * level + " "
    result: dict[str, list[str]] = {"": []}
    current = ""
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        if not in_fence and line.startswith(marker):
            current = line[len(marker) :].strip()
            if current in result:
                raise MarkdownError(f"the heading '{marker}{current}' appears twice")
            result[current] = []
            continue
        result[current].append(line)
    return {heading: "\n".join(lines).strip() for heading, lines in result.items()}
