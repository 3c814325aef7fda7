"""Where a service process spends its CPU under the bench's load: py-spy samples it (`--profile <service>`), and
the collapsed stacks are summarised as the functions with the most samples, on their own (self) and with what they
call (inclusive). py-spy reads the process from outside and pauses it for each sample (100 a second; without the
pause the stacks come out torn), so the profiled service is a little slower during the run."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

PY_SPY = Path(sys.executable).with_name("py-spy")
ROOT = Path(__file__).resolve().parents[2]
OWN_CODE = ("(shared/", "(services/")  # inclusive time is shown for the project's own functions
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


class Profiler:
    """py-spy recording one process for a while, in the background."""

    def __init__(self, pid: int, seconds: float, output: Path) -> None:
        self.output = output
        self._process = subprocess.Popen(
            [
                str(PY_SPY),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(max(1, round(seconds))),
                "--rate",
                "100",
                "--format",
                "raw",
                "--output",
                str(output),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self, top: int = 15) -> dict[str, Any]:
        """Wait for the recording to end; its summary (or why there is none)."""
        _, errors = self._process.communicate(timeout=600)
        if self._process.returncode != 0 or not self.output.exists():
            return {"error": (errors or "").strip()[-500:] or f"py-spy exited {self._process.returncode}"}
        return summarise(self.output.read_text(encoding="utf-8"), top)


def summarise(collapsed: str, top: int = 15) -> dict[str, Any]:
    """The functions with the most samples, on their own (any code) and with what they call (the project's own
    functions: which of its steps costs), as shares of all samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_name(frame) for frame in stack.split(";")]
        total += count
        own[frames[-1]] += count
        for name in set(frames):
            if any(marker in name for marker in OWN_CODE):
                inclusive[name] += count
    if not total:
        return {"samples": 0, "self": [], "inclusive": []}

    def shares(counter: Counter[str]) -> list[dict[str, Any]]:
        return [{"function": name, "share": round(n / total, 3)} for name, n in counter.most_common(top)]

    return {"samples": total, "self": shares(own), "inclusive": shares(inclusive)}


def _name(frame: str) -> str:
    """`function (path/to/module.py:12)` as `function (module.py)`: the same function at any line counts once."""
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    file = match["file"]  # py-spy names it relative to its entry on sys.path: shared/…, asyncpg/…, asyncio/…
    if "site-packages/" in file:
        file = file.split("site-packages/", 1)[1]
    elif file.startswith(f"{ROOT}/"):
        file = file[len(f"{ROOT}/") :]
    return f"{match['function']} ({file})"
