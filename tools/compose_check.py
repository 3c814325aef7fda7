"""`python -m tools.compose_check`: docker-compose.yml proven without Docker.

A real Compose implementation (compose-go, the loader of `docker compose`, built as `composecheck` by
`deploy/infra.sh tools`) parses, validates and normalises the file in an empty environment; then this checks what
no Compose implementation does: every service has a health check (or is a one-shot set-up its dependents await),
every image has an explicit tag in its registry's form, the local set-up runs the versions compose names, every
variable a journey service is given is one its settings read and every setting without a default is given, the
published ports are the README's, and build contexts, Dockerfiles and mounted files exist.

Docker Hub is not reachable from here: a tag is checked for its registry's form, not looked up. Kafka's, Mailpit's
and Prometheus' versions are known to exist because the local set-up fetched the same versions from Maven Central and
the Go module proxy. Exit 1 with one line per finding.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentelemetry import environment_variables as otel_api_variables
from opentelemetry.sdk import environment_variables as otel_sdk_variables

from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
Project = dict[str, Any]

# The tag each registry publishes its releases under; the key is the image name (a trailing "/" matches a namespace).
TAG_FORMS: dict[str, str] = {
    "apache/kafka": r"\d+\.\d+\.\d+",
    "postgres": r"\d+(\.\d+)?(-(alpine|bookworm|bullseye))?",
    "axllent/mailpit": r"v\d+\.\d+\.\d+",
    "prom/prometheus": r"v\d+\.\d+\.\d+",
    "prom/alertmanager": r"v\d+\.\d+\.\d+",
    "grafana/grafana": r"\d+\.\d+\.\d+(-ubuntu)?",
    "jaegertracing/": r"\d+\.\d+\.\d+",
    "otel/": r"\d+\.\d+\.\d+",
}
# The versions the local set-up fetches: image -> (what, where deploy/infra.sh records the version it fetched).
LOCAL_VERSIONS: dict[str, tuple[str, str]] = {
    "apache/kafka": ("Kafka's jars (Maven Central)", "kafka/libs"),
    "axllent/mailpit": ("mailpit (Go module proxy)", "bin/.mailpit.version"),
    "prom/prometheus": ("promtool (Go module proxy)", "bin/.promtool.version"),
}
JOURNEY_COMMAND = re.compile(r"^services\.(\w+)$")
# Variables the OpenTelemetry SDK reads itself (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, ...).
OTEL_VARIABLES = frozenset(
    value
    for module in (otel_api_variables, otel_sdk_variables)
    for name, value in vars(module).items()
    if name.startswith("OTEL_") and isinstance(value, str)
)


@dataclass(frozen=True)
class Finding:
    """Something wrong with the compose file, said about one service (or the file)."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class LoadFailed(Exception):
    """compose-go refused the file: its lines are the findings."""


def local_dir() -> Path:
    return Path(os.environ.get("JOURNEY_LOCAL_DIR", ROOT / ".local"))


def load(compose_file: Path, project_directory: Path) -> Project:
    """The project as compose-go normalises it (paths resolved, anchors merged, variables interpolated)."""
    program = local_dir() / "bin" / "composecheck"
    if not os.access(program, os.X_OK):
        raise SystemExit(f"{program} is missing: `deploy/infra.sh tools` builds it")
    done = subprocess.run(
        [str(program), "--project-directory", str(project_directory), str(compose_file)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise LoadFailed(*[line for line in done.stderr.splitlines() if line.strip()])
    project: Project = json.loads(done.stdout)
    return project


def services(project: Project) -> dict[str, dict[str, Any]]:
    return dict(project.get("services") or {})


def health_findings(project: Project, notes: list[str]) -> Iterator[Finding]:
    """A service without a health check is a finding, unless it is a one-shot set-up (`restart: "no"`) that every
    dependent awaits with `service_completed_successfully`: there is nothing running to check."""
    all_services = services(project)
    for name, service in all_services.items():
        check = service.get("healthcheck") or {}
        if check.get("test") and not check.get("disable"):
            continue
        waits = [
            dependent.get("depends_on", {}).get(name, {}).get("condition")
            for dependent in all_services.values()
            if name in (dependent.get("depends_on") or {})
        ]
        if service.get("restart") == "no" and waits and set(waits) == {"service_completed_successfully"}:
            notes.append(f"{name}: a one-shot set-up, no health check: its dependents wait until it completed")
        else:
            yield Finding(name, "no healthcheck")


def split_image(image: str) -> tuple[str, str | None]:
    """(name, tag) of `name[:tag][@digest]`; a registry host's port is not a tag."""
    reference = image.split("@", 1)[0]
    name, _, tag = reference.rpartition(":")
    if not name or "/" in tag:
        return reference, None
    return name, tag


def tag_form(name: str) -> str | None:
    for image, form in TAG_FORMS.items():
        if name == image or (image.endswith("/") and name.startswith(image)):
            return form
    return None


def image_findings(project: Project) -> Iterator[Finding]:
    """Every image pulled from a registry names an explicit tag in the form that registry publishes."""
    for name, service in services(project).items():
        if service.get("build"):
            continue
        image = service.get("image") or ""
        repository, tag = split_image(image)
        form = tag_form(repository)
        if tag is None or tag == "latest":
            yield Finding(name, f"image {image!r} has no explicit release tag (`latest` and no tag float)")
        elif form is None:
            yield Finding(name, f"image {image!r}: no rule for its registry's tag form (TAG_FORMS)")
        elif not re.fullmatch(form, tag):
            yield Finding(name, f"image {image!r}: tag {tag!r} is not in the registry's form {form}")


def compose_tags(project: Project) -> dict[str, str]:
    """image name -> tag, over every service."""
    tags = {}
    for service in services(project).values():
        repository, tag = split_image(service.get("image") or "")
        if tag:
            tags[repository] = tag
    return tags


def local_version(image: str, record: str) -> str | None:
    """The version deploy/infra.sh fetched for `image`, if it fetched one."""
    path = local_dir() / record
    if image == "apache/kafka":
        jars = sorted(path.glob("kafka_2.13-*.jar")) if path.is_dir() else []
        return jars[0].name.removeprefix("kafka_2.13-").removesuffix(".jar") if jars else None
    return path.read_text().strip() if path.is_file() else None


def version_findings(project: Project, notes: list[str]) -> Iterator[Finding]:
    """The local set-up runs the versions compose names (it takes them from compose; a stale build is a finding)."""
    tags = compose_tags(project)
    for image, (what, record) in LOCAL_VERSIONS.items():
        if image not in tags:
            yield Finding("versions", f"no {image} image: the local set-up takes {what}'s version from it")
            continue
        fetched = local_version(image, record)
        if fetched is None:
            notes.append(f"{image}:{tags[image]}: {what} not fetched here yet, so its existence is not confirmed")
        elif fetched != tags[image]:
            yield Finding("versions", f"{what} is {fetched}, compose names {image}:{tags[image]}: `deploy/infra.sh`")
        else:
            notes.append(f"{image}:{tags[image]}: exists: the local set-up fetched {what} in that version")


def settings_class(stage: str) -> type[ServiceSettings]:
    """The settings a stage's service reads: its own `services/<stage>/settings.py` class, or the common ones."""
    try:
        module = importlib.import_module(f"services.{stage}.settings")
    except ModuleNotFoundError:
        return ServiceSettings
    own = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, ServiceSettings) and value.__module__ == module.__name__
    ]
    return own[0] if own else ServiceSettings


def setting_names(settings: type[ServiceSettings]) -> dict[str, bool]:
    """Environment variable -> required, as pydantic-settings reads them (the field name or alias, upper-cased)."""
    return {
        (field.validation_alias if isinstance(field.validation_alias, str) else field.alias or name).upper(): (
            field.is_required()
        )
        for name, field in settings.model_fields.items()
    }


def journey_stage(service: Mapping[str, Any]) -> str | None:
    """The stage of a service that runs `python -m services.<stage>`, else None."""
    command = service.get("command") or []
    if len(command) >= 3 and command[1] == "-m" and (match := JOURNEY_COMMAND.match(command[2])):
        return match.group(1)
    return None


def environment_findings(
    project: Project, settings_of: Mapping[str, type[ServiceSettings]] | None = None
) -> Iterator[Finding]:
    """A journey service is given only variables its settings (or the OpenTelemetry SDK) read, and every setting
    without a default; KAFKA_CREDENTIALS_FILE gives the KAFKA_* ones."""
    for name, service in services(project).items():
        stage = journey_stage(service)
        if stage is None:
            continue
        settings = (settings_of or {}).get(stage) or settings_class(stage)
        names = setting_names(settings)
        given = {key.upper() for key in service.get("environment") or {}}
        for key in sorted(given - names.keys() - OTEL_VARIABLES):
            yield Finding(name, f"environment {key}: no setting of {settings.__name__} reads it")
        for key in sorted(k for k, required in names.items() if required and k not in given):
            if not (key.startswith("KAFKA_") and "KAFKA_CREDENTIALS_FILE" in given):
                yield Finding(name, f"environment {key}: required by {settings.__name__}, not set")


README_HEADER = re.compile(r"^\|\s*compose service\s*\|\s*host ports\s*\|")
README_ROW = re.compile(r"^\|\s*`([\w-]+)`\s*\|\s*([\d,\s]*?)\s*\|")


def readme_ports(readme: str) -> dict[str, set[int]]:
    """The README's table of published ports, under its header `| compose service | host ports | what |`: rows
    `| \\`service\\` | 8025, 1025 | ... |`."""
    lines = iter(readme.splitlines())
    for line in lines:
        if README_HEADER.match(line):
            break
    table: dict[str, set[int]] = {}
    for line in lines:
        if not line.startswith("|"):
            break
        if match := README_ROW.match(line):
            table[match.group(1)] = {int(port) for port in match.group(2).split(",") if port.strip()}
    return table


def published_ports(service: Mapping[str, Any]) -> set[int]:
    return {int(port["published"]) for port in service.get("ports") or [] if port.get("published")}


def port_findings(project: Project, readme: str) -> Iterator[Finding]:
    """The ports operators read in the README are the ones compose publishes, service by service."""
    listed = readme_ports(readme)
    if not listed:
        yield Finding("README.md", "no table of published ports (`| compose service | host ports | what |`)")
        return
    for name, service in services(project).items():
        published = published_ports(service)
        for port in sorted(published - listed.get(name, set())):
            yield Finding(name, f"publishes port {port}, which the README's port table does not list for it")
        for port in sorted(listed.get(name, set()) - published):
            yield Finding(name, f"the README lists port {port}, which compose does not publish for it")
    for name in sorted(listed.keys() - services(project).keys()):
        yield Finding(name, "in the README's port table, but no such compose service")


def file_findings(project: Project) -> Iterator[Finding]:
    """Build contexts, Dockerfiles and bind-mounted files exist (compose-go resolved them to absolute paths)."""
    for name, service in services(project).items():
        build = service.get("build") or {}
        if build:
            context = Path(build.get("context", ""))
            if not context.is_dir():
                yield Finding(name, f"build context {context} does not exist")
            elif not (context / build.get("dockerfile", "Dockerfile")).is_file():
                yield Finding(name, f"Dockerfile {context / build.get('dockerfile', 'Dockerfile')} does not exist")
        for volume in service.get("volumes") or []:
            if volume.get("type") == "bind" and not Path(volume["source"]).exists():
                yield Finding(name, f"mounted {volume['source']} does not exist")


def check(
    project: Project, readme: str, settings_of: Mapping[str, type[ServiceSettings]] | None = None
) -> tuple[list[Finding], list[str]]:
    """Every finding about the loaded project, and the notes worth printing beside them."""
    notes: list[str] = []
    findings = [
        *health_findings(project, notes),
        *image_findings(project),
        *version_findings(project, notes),
        *environment_findings(project, settings_of),
        *port_findings(project, readme),
        *file_findings(project),
    ]
    return findings, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=ROOT / "docker-compose.yml")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--project-directory", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    try:
        project = load(args.file.resolve(), args.project_directory.resolve())
    except LoadFailed as failed:
        print("\n".join(f"{args.file.name}: {line}" for line in failed.args), file=sys.stderr)
        return 1
    findings, notes = check(project, args.readme.read_text(encoding="utf-8"))
    for note in notes:
        print(f"note: {note}")
    for finding in findings:
        print(finding, file=sys.stderr)
    count = len(services(project))
    print(f"{args.file.name}: {count} services, {len(findings)} findings" + ("" if findings else ": proven"))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
