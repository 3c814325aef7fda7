"""Partner artefacts generated from shared.contracts: JSON Schemas, the AsyncAPI document, the partner guide.

`python -m tools.contracts generate|check|compat|release|guide` (see `__main__`).
"""
