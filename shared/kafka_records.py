"""A record whose header name is not UTF-8 must not stop a consumer: aiokafka fails the whole fetch on it for ever.

Kafka's protocol says header names are UTF-8, but the broker stores whatever a client sends (`kcat -H` takes any
bytes). aiokafka decodes header names strictly, so such a record raises `UnicodeDecodeError` on every fetch and
no record after it is ever read. `install()` puts a reader in aiokafka's fetcher that keeps aiokafka's fast path
and, for a batch it cannot read, reads that batch again with aiokafka's own Python reader, header names decoded
with surrogate escapes: the record then reaches the door, which rejects it (`invalid_envelope`) like any other.
"""

from __future__ import annotations

from typing import Any, SupportsIndex

from aiokafka.consumer import fetcher
from aiokafka.record.default_records import DefaultRecordBatch, _DefaultRecordBatchPy
from aiokafka.record.memory_records import _MemoryRecordsPy


class _EscapingBytes(bytes):
    """A header name whose `decode` keeps bytes that are not UTF-8 as surrogate escapes instead of failing."""

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return super().decode(encoding, "surrogateescape")


class _EscapingBuffer(bytearray):
    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        item = super().__getitem__(index)
        return _EscapingBytes(item) if isinstance(index, slice) else item


class _TolerantBatch(_DefaultRecordBatchPy):  # type: ignore[misc]  # aiokafka's records are untyped here
    """aiokafka's Python batch reader over a buffer whose slices decode with surrogate escapes."""

    def __init__(self, buffer: bytes | bytearray | memoryview) -> None:
        super().__init__(buffer)
        self._buffer: bytearray = _EscapingBuffer(self._buffer)

    def _maybe_uncompress(self) -> None:
        super()._maybe_uncompress()
        if not isinstance(self._buffer, _EscapingBuffer):
            self._buffer = _EscapingBuffer(self._buffer)


class _GuardedBatch:
    """aiokafka's fast batch, read again by `_TolerantBatch` from the first record it cannot decode."""

    def __init__(self, fast: Any, raw: memoryview) -> None:
        self._fast = fast
        self._raw = raw
        self._records: Any = None
        self._read = 0
        self._tolerant = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fast, name)

    def __iter__(self) -> _GuardedBatch:
        if self._records is None:
            self._records = iter(self._fast)
        return self

    def __next__(self) -> Any:
        if self._records is None:
            self._records = iter(self._fast)
        try:
            record = next(self._records)
        except UnicodeDecodeError:
            if self._tolerant:
                raise
            self._tolerant = True
            self._records = iter(_TolerantBatch(self._raw))
            for _ in range(self._read):  # the records already handed out
                next(self._records)
            record = next(self._records)
        self._read += 1
        return record


class TolerantMemoryRecords(_MemoryRecordsPy):  # type: ignore[misc]
    """aiokafka's record set, its batches guarded by `_GuardedBatch`."""

    def next_batch(self, *args: Any, **kwargs: Any) -> Any:
        raw = self._next_slice
        batch = super().next_batch(*args, **kwargs)
        if raw is not None and isinstance(batch, DefaultRecordBatch):
            return _GuardedBatch(batch, raw)
        return batch


def install() -> None:
    """Make every aiokafka consumer in this process read fetched records through `TolerantMemoryRecords`."""
    fetcher.MemoryRecords = TolerantMemoryRecords
