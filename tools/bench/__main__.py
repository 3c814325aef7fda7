"""`python -m tools.bench`: the benchmark (tools/bench/bench.py)."""

import sys

from tools.bench.bench import main

sys.exit(main())
