"""The committed artefacts: what the code generates, how the files on disk differ, and the release snapshot."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path

import yaml

from tools.contracts import asyncapi, guide
from tools.contracts.compat import Breaking, breaking_changes
from tools.contracts.schemas import entries, headers_schema, message_schema, render_json

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = Path("docs/contracts")
SCHEMAS = CONTRACTS / "schemas"
RELEASED = CONTRACTS / "released"
GUIDE = Path("docs/partners.md")


def current_schemas() -> dict[str, dict[str, object]]:
    """The schema of every `ce_type` the code serves."""
    return {e.ce_type: message_schema(e) for e in entries()}


class _Dumper(yaml.SafeDumper):
    """Multi-line text as literal blocks, so descriptions read as written."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def render_yaml(document: object) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def expected(root: Path = ROOT) -> dict[Path, str]:
    """Relative path -> text of every generated artefact (the guide with its generated part spliced in)."""
    files = {SCHEMAS / f"{ce_type}.json": render_json(s) for ce_type, s in current_schemas().items()}
    files[CONTRACTS / "cloudevents-headers.json"] = render_json(headers_schema())
    files[CONTRACTS / "asyncapi.yaml"] = render_yaml(_sorted_components(asyncapi.build()))
    guide_path = root / GUIDE
    current_guide = guide_path.read_text(encoding="utf-8") if guide_path.exists() else ""
    files[GUIDE] = guide.splice(current_guide, guide.section())
    return files


def _sorted_components(document: dict[str, object]) -> dict[str, object]:
    """Channels and operations keep catalogue order; everything under `components` is sorted by key."""
    components = document["components"]
    return {**document, "components": json.loads(json.dumps(components, sort_keys=True))}


def write(root: Path = ROOT) -> list[Path]:
    """Write every artefact; remove schema files the code no longer generates. Returns what changed."""
    files = expected(root)
    changed = [path for path, text in files.items() if _read(root / path) != text]
    for path in changed:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(files[path], encoding="utf-8")
    for stale in _stale(root, files):
        (root / stale).unlink()
        changed.append(stale)
    return changed


def drift(root: Path = ROOT, context_lines: int = 20) -> list[str]:
    """A readable summary of how the files on disk differ from what the code generates; empty when none."""
    report: list[str] = []
    files = expected(root)
    for path, text in files.items():
        on_disk = _read(root / path)
        if on_disk is None:
            report.append(f"missing: {path}")
        elif on_disk != text:
            lines = on_disk.splitlines(), text.splitlines()
            diff = list(difflib.unified_diff(*lines, "committed", "generated", n=1, lineterm=""))
            shown = diff[: context_lines + 2]
            more = f"\n    ... {len(diff) - len(shown)} more diff lines" if len(diff) > len(shown) else ""
            report.append(f"changed: {path}\n    " + "\n    ".join(shown) + more)
    report += [f"stale (no longer generated): {path}" for path in _stale(root, files)]
    return report


def released_schemas(root: Path = ROOT) -> dict[str, dict[str, object]]:
    return {p.name.removesuffix(".json"): json.loads(p.read_text()) for p in sorted((root / RELEASED).glob("*.json"))}


def compatibility(root: Path = ROOT) -> list[Breaking]:
    """Breaking changes of the current schemas against the last release."""
    return breaking_changes(released_schemas(root), current_schemas())


def release(root: Path = ROOT) -> list[Breaking]:
    """Snapshot the current schemas as released, unless that would break partners; returns what blocks it."""
    blocking = compatibility(root)
    if blocking:
        return blocking
    (root / RELEASED).mkdir(parents=True, exist_ok=True)
    for ce_type, schema in current_schemas().items():
        (root / RELEASED / f"{ce_type}.json").write_text(render_json(schema), encoding="utf-8")
    return []


def _stale(root: Path, files: Mapping[Path, str]) -> list[Path]:
    on_disk = sorted(p.relative_to(root) for p in (root / SCHEMAS).glob("*.json"))
    return [p for p in on_disk if p not in files]


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None
