"""The bench's profile summary: py-spy's collapsed stacks as shares of samples."""

from __future__ import annotations

from tools.bench.profile import ROOT, summarise

SITE = f"{ROOT}/.venv/lib/python3.11/site-packages"
STDLIB = "asyncio"  # py-spy names files relative to their sys.path entry


def test_self_time_goes_to_the_leaf_and_inclusive_time_to_the_projects_own_frames_once_per_stack() -> None:
    collapsed = "\n".join(
        [
            f"run ({STDLIB}/runners.py:118);process (shared/batching.py:50);fetch (asyncpg/connection.py:690) 6",
            f"run ({STDLIB}/runners.py:118);process ({ROOT}/shared/batching.py:50);"
            f"process ({ROOT}/shared/batching.py:61);dumps ({SITE}/pydantic/main.py:10) 3",
            f"run ({STDLIB}/runners.py:118);select ({STDLIB}/selectors.py:468) 1",
            "not a line of py-spy's",
        ]
    )

    summary = summarise(collapsed)

    assert summary["samples"] == 10
    assert summary["self"] == [
        {"function": "fetch (asyncpg/connection.py)", "share": 0.6},
        {"function": "dumps (pydantic/main.py)", "share": 0.3},
        {"function": "select (asyncio/selectors.py)", "share": 0.1},
    ]
    assert summary["inclusive"] == [{"function": "process (shared/batching.py)", "share": 0.9}]


def test_no_samples_is_an_empty_summary() -> None:
    assert summarise("") == {"samples": 0, "self": [], "inclusive": []}
