"""`python -m tools.fuzz`: the fuzzer (tools/fuzz/main.py)."""

import sys

from tools.fuzz.main import main

sys.exit(main())
