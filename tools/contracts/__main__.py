"""`python -m tools.contracts <command>`: generate, check for drift, guard compatibility, release."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tools.contracts import artefacts, guide

COMMANDS = {
    "generate": "write docs/contracts/** and the generated part of docs/partners.md",
    "guide": "rewrite only the generated part of docs/partners.md",
    "check": "exit 1 when the committed artefacts differ from what the code generates",
    "compat": "exit 1 when a schema breaks its released version (docs/contracts/released/)",
    "release": "snapshot the current schemas as released; refused while a change is breaking",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.contracts", description=__doc__)
    parser.add_argument("command", choices=COMMANDS, help="; ".join(f"{k}: {v}" for k, v in COMMANDS.items()))
    command = parser.parse_args(argv).command
    if command == "generate":
        changed = artefacts.write()
        print(f"{len(changed)} file(s) written" + "".join(f"\n  {p}" for p in changed))
    elif command == "guide":
        path = artefacts.ROOT / artefacts.GUIDE
        path.write_text(guide.splice(path.read_text(encoding="utf-8"), guide.section()), encoding="utf-8")
        print(f"rewrote the generated part of {artefacts.GUIDE}")
    elif command == "check":
        report = artefacts.drift()
        if report:
            print("Contract artefacts are out of date; run `python -m tools.contracts generate` and commit:")
            print("\n".join(f"- {line}" for line in report))
            return 1
        print("Contract artefacts are up to date.")
    elif command == "compat":
        return _report_breaking(artefacts.compatibility())
    else:
        blocking = artefacts.release()
        if blocking:
            return _report_breaking(blocking)
        print(f"released the current schemas to {artefacts.RELEASED}")
    return 0


def _report_breaking(problems: Sequence[object]) -> int:
    if not problems:
        print("No breaking changes against the released schemas.")
        return 0
    print("Breaking changes against the released schemas (bump the version instead: docs/partners.md):")
    print("\n".join(f"- {problem}" for problem in problems))
    return 1


if __name__ == "__main__":
    sys.exit(main())
