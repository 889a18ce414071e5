"""Read every file under `answers/` and `catalog/`, validate it and cross-check it.

`load_content` either returns a complete Snapshot or raises ContentError listing every problem
found, so one run of `python -m bot validate` shows an editor all there is to fix, and a broken
file can never half-load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.crosscheck import cross_check
from bot.content.markdown import (
    MarkdownError,
    load_yaml,
    sections,
    split_front_matter,
    yaml_problem,
)
from bot.content.problems import ContentError, Problem, problems_from_validation
from bot.content.snapshot import Snapshot, build_snapshot
from bot.schema.catalog import (
    BenchmarkEntry,
    CloudPrice,
    HardwareEntry,
    HardwarePrice,
    ModelEntry,
    ToolEntry,
)
from bot.schema.content import PLATFORM_HEADINGS, ErrorEntry, GlossaryEntry, QuickAnswer
from bot.schema.pages import Page

log = logging.getLogger(__name__)

Entry = TypeVar("Entry", bound=BaseModel)

PLATFORM_DISPLAY = ("All platforms", "NVIDIA / CUDA", "AMD / ROCm", "Apple / Metal", "Intel", "CPU")
GLOSSARY_SECTIONS = {
    "Definition": "definition",
    "Deeper dive": "deeper_dive",
    "Practical example": "practical_example",
    "Workflow example": "workflow_example",
}
ERROR_SECTIONS = {
    "Symptoms": "symptoms",
    "Causes": "causes",
    "Fixes": "fixes",
    "Commands": "commands",
}
QUICK_SECTIONS = {"Details": "details"}
CATALOG_KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "models": ("models", ModelEntry),
    "hardware": ("hardware", HardwareEntry),
    "tools": ("tools", ToolEntry),
    "benchmarks": ("benchmarks", BenchmarkEntry),
    "prices": ("prices", HardwarePrice),
    "cloud": ("cloud", CloudPrice),
}


class _Collector:
    """Gathers entries and problems while walking the content tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.entries: dict[str, list[tuple[str, BaseModel]]] = {}

    def name(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path, message: str, entry: str = "-", field: str = "-") -> None:
        self.problems.append(
            Problem(file=self.name(path), entry=entry, field=field, message=message)
        )

    def add(self, kind: str, path: Path, entry: BaseModel) -> None:
        self.entries.setdefault(kind, []).append((self.name(path), entry))

    def validate(self, model: type[Entry], data: dict[str, Any], path: Path) -> Entry | None:
        entry_id = str(data.get("id", "-"))
        try:
            return model.model_validate(data)
        except ValidationError as error:
            self.problems.extend(problems_from_validation(error, self.name(path), entry_id))
            return None


def _map_sections(
    body: str,
    expected: dict[str, str],
    path: Path,
    entry_id: str,
    out: _Collector,
    *,
    ordered: bool,
) -> dict[str, str] | None:
    """Map `## Heading` sections to fields; unknown or out-of-order headings are problems."""
    found = sections(body, level=2)
    found.pop("", None)
    fields: dict[str, str] = {}
    for heading, text in found.items():
        if heading not in expected:
            allowed = ", ".join(f"'## {h}'" for h in expected)
            out.problem(path, f"unknown section '## {heading}' (allowed: {allowed})", entry_id)
            return None
        fields[expected[heading]] = text
    if ordered:
        order = [h for h in expected if h in found]
        if list(found) != order:
            out.problem(path, "sections must appear in the order " + ", ".join(expected), entry_id)
    return fields


def _fixes_by_platform(text: str, path: Path, entry_id: str, out: _Collector) -> dict[str, str]:
    fixes: dict[str, str] = {}
    for heading, body in sections(text, level=3).items():
        if heading == "":
            if body:
                out.problem(
                    path,
                    "text under '## Fixes' must sit under a '### <platform>' heading",
                    entry_id,
                    "fixes",
                )
            continue
        platform = PLATFORM_HEADINGS.get(heading.lower())
        if platform is None:
            allowed = ", ".join(f"'### {h}'" for h in PLATFORM_DISPLAY)
            out.problem(
                path,
                f"unknown platform heading '### {heading}' (allowed: {allowed})",
                entry_id,
                "fixes",
            )
            continue
        fixes[platform] = body
    return fixes


def _load_answer(path: Path, kind: str, out: _Collector) -> None:
    try:
        data, body = split_front_matter(path.read_text(encoding="utf-8"))
    except (MarkdownError, UnicodeDecodeError) as error:
        out.problem(path, str(error))
        return
    entry_id = str(data.get("id", "-"))
    if entry_id != path.stem:
        out.problem(path, f"the file must be named after its id ('{entry_id}.md')", entry_id, "id")
    try:
        if kind == "glossary":
            mapped = _map_sections(body, GLOSSARY_SECTIONS, path, entry_id, out, ordered=True)
            model: type[BaseModel] = GlossaryEntry
        elif kind == "errors":
            mapped = _map_sections(body, ERROR_SECTIONS, path, entry_id, out, ordered=True)
            if mapped is not None and "fixes" in mapped:
                mapped["fixes"] = _fixes_by_platform(mapped["fixes"], path, entry_id, out)  # type: ignore[assignment]
            model = ErrorEntry
        elif kind == "quick":
            mapped = _map_sections(body, QUICK_SECTIONS, path, entry_id, out, ordered=False)
            model = QuickAnswer
        else:
            mapped = {"body": body.strip()}
            model = Page
    except MarkdownError as error:
        out.problem(path, str(error), entry_id)
        return
    if mapped is None:
        return
    clashes = set(mapped) & set(data)
    if clashes:
        out.problem(
            path,
            "written both in front matter and as a section",
            entry_id,
            ", ".join(sorted(clashes)),
        )
        return
    entry = out.validate(model, {**data, **mapped}, path)
    if entry is not None:
        out.add(kind, path, entry)


def _load_catalog_file(path: Path, folder: str, out: _Collector) -> None:
    key, model = CATALOG_KINDS[folder]
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        out.problem(path, f"not valid YAML: {yaml_problem(error)}")
        return
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        out.problem(path, f"the file must be a mapping with a '{key}:' list of entries")
        return
    extra = set(data) - {key, "reviewed_by", "reviewed_on"}
    if extra:
        out.problem(
            path,
            f"unknown top-level keys (allowed: reviewed_by, reviewed_on, {key})",
            field=", ".join(sorted(extra)),
        )
    stamp = {k: data[k] for k in ("reviewed_by", "reviewed_on") if k in data}
    for position, raw in enumerate(data[key]):
        if not isinstance(raw, dict):
            out.problem(path, f"entry #{position + 1} is not a mapping of fields")
            continue
        entry = out.validate(model, {**stamp, **raw}, path)
        if entry is not None:
            out.add(folder, path, entry)


def _files(folder: Path, suffixes: Iterable[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes)


def load_content(root: Path) -> Snapshot:
    """Load, validate and cross-check everything under `root`; raise ContentError on problems."""
    out = _Collector(root)
    if not (root / "answers").is_dir() and not (root / "catalog").is_dir():
        raise ContentError([Problem(file=str(root), message="no answers/ or catalog/ folder here")])
    for kind in ("glossary", "errors", "quick", "pages"):
        for path in _files(root / "answers" / kind, {".md"}):
            if path.name.lower() != "readme.md":
                _load_answer(path, kind, out)
    for folder in CATALOG_KINDS:
        for path in _files(root / "catalog" / folder, {".yaml", ".yml"}):
            _load_catalog_file(path, folder, out)
    out.problems.extend(cross_check(out.entries))
    if out.problems:
        raise ContentError(out.problems)
    snapshot = build_snapshot(
        {kind: [entry for _, entry in items] for kind, items in out.entries.items()},
        source=str(root),
    )
    log.info("content loaded from %s: %s", root, snapshot.counts())
    return snapshot
