"""``AsyncCacheManager``: the typed async API over a synchronous cache.

Contracts:

* Values are stored as JSON-compatible envelopes (see ``codec``) and read back
  validated: a read returns a value of the requested type or ``None``, never a
  wrongly typed value. Unreadable entries are logged and evicted when the sync
  cache has ``delete``.
* The cache never fails a request: a failing ``get`` is a miss, a failing
  ``set`` is logged and swallowed. A circuit breaker (see ``breaker``) bypasses
  a failing cache for a cool-down and then probes it.
* Every inspection of a stored value — the backend's ``get`` and everything
  decoding does to what it returned (``__contains__``, ``.get``, ``__eq__``,
  ``__len__``, iteration, attribute access) — happens inside the fault
  boundary: whatever it raises makes the read a corrupt-entry miss, logged
  and evicted, never the caller's exception. Legacy model instances are
  re-validated, never returned as stored (see ``codec``).
* The sync cache is never entered by two threads at once: every call into it
  holds one ``threading.Lock``. ``offload=True`` runs each call in the
  manager's own worker thread (see ``worker``) for slow backends; the default
  runs inline, which is much faster for in-memory caches.
* ``timeout=`` (seconds, offloaded calls only) bounds how long a call may keep
  its caller waiting. A call that overruns it is a fault for the breaker and
  the caller gets a miss (or, for a write, a logged non-write); the backend
  call itself cannot be interrupted, so it runs on in the worker thread and
  its late result is logged and dropped. At most one thread per manager is
  ever held by a hung backend: while the current call is past its timeout,
  new calls fail at once instead of queueing, and calls that were queued
  behind it are skipped without entering the cache; after
  ``failure_threshold`` such faults the breaker bypasses the cache entirely.
* ``get_or_compute`` is single-flight per key, event loop and type: concurrent
  misses compute once, and if the computation raises every waiter gets the
  exception and nothing is cached.
* ``CACHELINT_CACHE_DISABLED=1`` turns every manager into a pass-through miss,
  read at call time (see ``switch``).
* Log records go to ``logging.getLogger("cachelint.runtime")`` with
  ``cache_type``, ``content_key``, ``operation``, ``duration_ms`` and
  ``outcome`` as ``extra`` fields: DEBUG for hits, misses and writes, INFO for
  stale-schema evictions and breaker recovery, WARNING for faults, corrupt
  entries and the breaker opening.
"""

from __future__ import annotations

import asyncio
import enum
import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from time import perf_counter
from typing import Any, Final, TypeVar, cast, overload

from pydantic import BaseModel, TypeAdapter

from .breaker import BreakerState, CircuitBreaker
from .codec import (
    ABSENT,
    CORRUPT,
    EMPTY_LIST_SCHEMA,
    ENVELOPE_MARK,
    ENVELOPE_VERSION,
    HIT,
    LEGACY_HIT,
    LEGACY_INVALID,
    STALE,
    Codec,
    adapter_codec,
    list_codec,
    model_codec,
)
from .keys import CacheKey
from .protocol import SyncCache
from .stats import CacheStats, StatsRecorder
from .switch import cache_disabled
from .worker import Worker

__all__ = ["AsyncCacheManager"]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
R = TypeVar("R")

logger: Final = logging.getLogger("cachelint.runtime")

_DEBUG: Final = logging.DEBUG
_INFO: Final = logging.INFO
_WARNING: Final = logging.WARNING

_LOG_LEVEL: Final = {
    HIT: _DEBUG,
    LEGACY_HIT: _DEBUG,
    ABSENT: _DEBUG,
    STALE: _INFO,
    CORRUPT: _WARNING,
    LEGACY_INVALID: _WARNING,
}
# An empty list carries no element type; any ``get_list`` may read it back.
_EMPTY_LIST: Final = {
    ENVELOPE_MARK: ENVELOPE_VERSION,
    "schema": EMPTY_LIST_SCHEMA,
    "data": [],
}


class _Miss(enum.Enum):
    MISS = 0


_MISS: Final = _Miss.MISS


class _Ticket:
    """One offloaded call, settled exactly once under the manager's state lock.

    Either the worker finishes the call (``finished``) and accounts for it, or
    the caller's timeout runs out first (``abandoned``) and the caller
    accounts for it as a fault; the other side then records nothing.
    """

    __slots__ = ("abandoned", "finished")

    def __init__(self) -> None:
        self.abandoned = False
        self.finished = False


class AsyncCacheManager:
    """Typed async access to any ``SyncCache`` (see the module docstring)."""

    def __init__(
        self,
        sync_cache: SyncCache,
        *,
        offload: bool = False,
        failure_threshold: int = 5,
        cooldown_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        latency_window: int = 1024,
        ttl_keyword: str = "ttl_override",
        timeout: float | None = None,
    ) -> None:
        """Wrap *sync_cache*.

        ``failure_threshold`` consecutive faults open the breaker for
        ``cooldown_seconds`` measured by ``clock`` (monotonic seconds).
        ``ttl_keyword`` names the sync ``set`` parameter that receives ``ttl=``.
        ``timeout`` (seconds, needs ``offload=True``) is the longest any one
        call may keep its caller waiting (see the module docstring).
        """
        if timeout is not None:
            if not offload:
                raise ValueError("timeout needs offload=True: an inline call cannot be abandoned")
            if not timeout > 0:
                raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
        _check_sync_cache(sync_cache)
        self._cache = sync_cache
        self._get = sync_cache.get
        self._set = sync_cache.set
        delete = getattr(sync_cache, "delete", None)
        self._delete: Callable[[str, str], object] | None = delete if callable(delete) else None
        self._offload = offload
        self._timeout = timeout
        self._worker = Worker(f"cachelint-cache-{type(sync_cache).__name__}") if offload else None
        self._ttl_keyword = ttl_keyword
        self._lock = threading.Lock()  # held around every call into the sync cache
        self._state = threading.Lock()  # held around breaker and counter updates
        self._breaker = CircuitBreaker(failure_threshold, cooldown_seconds, clock)
        self._stats = StatsRecorder(latency_window)
        self._inflight: dict[tuple[object, CacheKey, str], asyncio.Task[Any]] = {}

    def __repr__(self) -> str:
        timeout = f", timeout={self._timeout}" if self._timeout is not None else ""
        return (
            f"AsyncCacheManager({self._cache!r}, offload={self._offload}{timeout}, breaker={self._breaker.state.value})"
        )

    @property
    def sync_cache(self) -> SyncCache:
        """The wrapped synchronous cache."""
        return self._cache

    @property
    def offload(self) -> bool:
        """Whether calls into the sync cache run in a worker thread."""
        return self._offload

    @property
    def timeout(self) -> float | None:
        """The per-call timeout of offloaded calls in seconds, or ``None``."""
        return self._timeout

    @property
    def breaker_state(self) -> BreakerState:
        """The circuit breaker's current state."""
        return self._breaker.state

    def stats(self) -> CacheStats:
        """A snapshot of counters, hit ratio, latency percentiles and breaker state."""
        with self._state:
            return self._stats.snapshot(self._breaker.state, self._breaker.failures)

    # -- reads ---------------------------------------------------------------

    async def get_model(self, key: CacheKey, model: type[M]) -> M | None:
        """The cached *model* instance at *key*, or ``None``."""
        return await self._fetch(key, model_codec(model), "get_model")

    async def get_list(self, key: CacheKey, model: type[M]) -> list[M] | None:
        """The cached ``list[model]`` at *key*, or ``None``."""
        return await self._fetch(key, list_codec(model), "get_list")

    async def get_value(self, key: CacheKey, adapter: TypeAdapter[T]) -> T | None:
        """The cached value of *adapter*'s type at *key*, or ``None``."""
        return await self._fetch(key, adapter_codec(adapter), "get_value")

    async def _fetch(self, key: CacheKey, codec: Codec[T], op: str) -> T | None:
        """One read, inline or in the worker thread, a miss as ``None``."""
        if self._worker is None:
            value = self._read(key, codec, op)
        else:
            value = await self._read_offloaded(key, codec, op)
        return None if value is _MISS else value

    async def _read_offloaded(self, key: CacheKey, codec: Codec[T], op: str) -> T | _Miss:
        if not self._gate(key, op, lookup=True):
            return _MISS
        return await self._offloaded(partial(self._read, key, codec, op), key, op, lookup=True, gave_up=_MISS)

    # -- writes --------------------------------------------------------------

    async def set_model(self, key: CacheKey, model: BaseModel, *, ttl: float | None = None) -> None:
        """Store *model* (under its own class's schema); faults are logged, not raised."""
        await self._store(key, model_codec(type(model)), model, ttl, "set_model")

    async def set_list(
        self,
        key: CacheKey,
        models: Sequence[M],
        model: type[M] | None = None,
        *,
        ttl: float | None = None,
    ) -> None:
        """Store *models* as ``list[model]``; *model* defaults to the first item's class.

        Faults are logged, not raised.
        """
        items = models if isinstance(models, list) else list(models)
        if model is None and not items:
            await self._put(key, {**_EMPTY_LIST, "data": []}, ttl, "set_list")
            return
        element = model if model is not None else type(items[0])
        await self._store(key, list_codec(element), items, ttl, "set_list")

    async def set_value(
        self,
        key: CacheKey,
        adapter: TypeAdapter[T],
        value: T,
        *,
        ttl: float | None = None,
    ) -> None:
        """Store *value* as *adapter*'s type; faults are logged, not raised."""
        await self._store(key, adapter_codec(adapter), value, ttl, "set_value")

    async def delete(self, key: CacheKey) -> bool:
        """Evict *key* if the sync cache supports ``delete``; ``True`` if it was called."""
        if self._delete is None or cache_disabled():
            return False
        if self._worker is None:
            return self._remove(key)
        if not self._gate(key, "delete", lookup=False):
            return False
        return await self._offloaded(partial(self._remove, key), key, "delete", lookup=False, gave_up=False)

    # -- compute -------------------------------------------------------------

    @overload
    async def get_or_compute(self, key: CacheKey, schema: type[M], compute: Callable[[], Awaitable[M]]) -> M: ...

    @overload
    async def get_or_compute(self, key: CacheKey, schema: type[M], compute: Callable[[], M]) -> M: ...

    @overload
    async def get_or_compute(self, key: CacheKey, schema: TypeAdapter[T], compute: Callable[[], Awaitable[T]]) -> T: ...

    @overload
    async def get_or_compute(self, key: CacheKey, schema: TypeAdapter[T], compute: Callable[[], T]) -> T: ...

    async def get_or_compute(
        self,
        key: CacheKey,
        schema: type[BaseModel] | TypeAdapter[Any],
        compute: Callable[[], Any],
    ) -> Any:
        """The cached value at *key*, else ``compute()``'s result, stored.

        *schema* is a model class or a ``TypeAdapter`` (e.g. for ``list[M]``);
        *compute* may be async or sync. Concurrent misses of one key share a
        single computation; its exception reaches every waiter and nothing is
        cached. Cancelling one waiter does not cancel the computation.
        """
        if cache_disabled():
            return await _call(compute)
        codec: Codec[Any] = adapter_codec(schema) if isinstance(schema, TypeAdapter) else model_codec(schema)
        flight_key = (asyncio.get_running_loop(), key, codec.fingerprint)
        task = self._inflight.get(flight_key)
        if task is None:
            if not self._offload:
                # Inline reads never yield, so no other task can start a flight
                # for this key between this read and the registration below.
                value = self._read(key, codec, "get_or_compute")
                if value is not _MISS:
                    return value
            # Offloaded reads do yield: the flight itself reads first, so
            # callers arriving meanwhile join it instead of reading and
            # computing again.
            task = asyncio.ensure_future(self._flight(flight_key, key, codec, compute, self._offload))
            task.add_done_callback(_consume_exception)
            self._inflight[flight_key] = task
        return await asyncio.shield(task)

    async def _flight(
        self,
        flight_key: tuple[object, CacheKey, str],
        key: CacheKey,
        codec: Codec[Any],
        compute: Callable[[], Any],
        read_first: bool,
    ) -> Any:
        try:
            if read_first:
                value = await self._read_offloaded(key, codec, "get_or_compute")
                if value is not _MISS:
                    return value
            value = await _call(compute)
            await self._store(key, codec, value, None, "get_or_compute")
            return value
        finally:
            # Removed only after storing, so late arrivals hit instead of computing.
            self._inflight.pop(flight_key, None)

    # -- offloading ----------------------------------------------------------

    def _gate(self, key: CacheKey, op: str, *, lookup: bool) -> bool:
        """Whether a call may reach the cache now: the rollback switch, then the breaker."""
        if cache_disabled():
            with self._state:
                self._stats.bypassed += 1
                if lookup:
                    self._stats.misses += 1
            return False
        return self._breaker.state is BreakerState.CLOSED or self._admit(key, op, lookup=lookup)

    async def _offloaded(
        self,
        call: Callable[[_Ticket], R],
        key: CacheKey,
        op: str,
        *,
        lookup: bool,
        gave_up: R,
    ) -> R:
        """Run an admitted ``call(ticket)`` in the worker thread, waiting at most ``timeout``.

        Returns *gave_up* when the timeout runs out first (or already ran out
        for the call the worker is busy with); that is counted as a fault.
        """
        worker = cast(Worker, self._worker)
        timeout = self._timeout
        ticket = _Ticket()
        if timeout is not None and worker.busy_for() > timeout:
            # The backend has held the worker past a whole timeout already:
            # fail now (a "timeout" after 0 ms) rather than queue behind a
            # call that may never return.
            self._abandon(ticket, key, op, lookup, 0.0)
            return gave_up
        future = worker.submit(partial(call, ticket))
        if timeout is None:
            return await future
        start = perf_counter()
        done, _ = await asyncio.wait((future,), timeout=timeout)
        if done or not self._abandon(ticket, key, op, lookup, perf_counter() - start):
            return await future  # finished, or finished just as the timeout ran out
        return gave_up

    def _abandon(self, ticket: _Ticket, key: CacheKey, op: str, lookup: bool, waited: float) -> bool:
        """Give up on *ticket* as a fault, unless the worker has already finished it."""
        stats = self._stats
        with self._state:
            if ticket.finished:
                return False
            ticket.abandoned = True
            change = self._breaker.record_failure()
            stats.errors += 1
            stats.timeouts += 1
            if lookup:
                stats.misses += 1
        _emit(_WARNING, key, op, waited, "timeout")
        if change is not None:
            _breaker_changed(change, self._breaker.failures)
        return True

    def _settle(self, ticket: _Ticket | None) -> bool:
        """Claim the accounting of a finished call (hold ``_state``); False if its caller gave up."""
        if ticket is None:
            return True
        if ticket.abandoned:
            return False
        ticket.finished = True
        return True

    # -- the synchronous core (runs inline or in the worker thread) -----------
    #
    # Each takes the ticket of an offloaded call, whose gate (switch and
    # breaker) already ran on the event loop; inline calls pass none and are
    # gated here.

    def _read(self, key: CacheKey, codec: Codec[T], op: str, ticket: _Ticket | None = None) -> T | _Miss:
        breaker = self._breaker
        if ticket is None:
            # ``_gate`` spelled out: this is the hot path of every inline hit.
            if cache_disabled() or breaker.state is not BreakerState.CLOSED:
                if not self._gate(key, op, lookup=True):
                    return _MISS
        elif ticket.abandoned:
            return _MISS  # its caller timed out while it waited in the queue
        cache_type, content_key = key
        fault: Exception | None = None
        bad_entry: Exception | None = None
        evict_fault: Exception | None = None
        outcome = ABSENT
        value: T | None = None
        try:
            with self._lock:
                start = perf_counter()
                try:
                    raw = self._get(cache_type, content_key)
                except Exception as exc:  # noqa: BLE001 - a failing get is a miss
                    fault = exc
                else:
                    try:
                        outcome, value = codec.decode(raw)
                    except Exception as exc:  # noqa: BLE001 - a stored value that raises when inspected is corrupt
                        outcome, value, bad_entry = CORRUPT, None, exc
                    if outcome.unreadable and self._delete is not None:
                        # Under the same lock as the read: a fresh value
                        # written meanwhile by another thread is never evicted.
                        try:
                            self._delete(cache_type, content_key)
                        except Exception as exc:  # noqa: BLE001
                            evict_fault = exc
                elapsed = perf_counter() - start
        except BaseException:
            self._escaped(ticket)
            raise
        stats = self._stats
        with self._state:
            if ticket is not None and not self._settle(ticket):
                return self._late(key, op, perf_counter() - start)
            change = breaker.record_success() if fault is None else breaker.record_failure()
            stats.latencies.append(elapsed)
            if outcome.found:
                stats.hits += 1
            else:
                stats.misses += 1
                if fault is not None:
                    stats.errors += 1
                elif outcome.unreadable:
                    stats.invalid += 1
                if evict_fault is not None:
                    stats.errors += 1
        if fault is not None:
            _emit(_WARNING, key, op, elapsed, "error", fault)
        else:
            level = _LOG_LEVEL[outcome]
            if logger.isEnabledFor(level):
                _emit(level, key, op, elapsed, outcome.name, bad_entry)
            if evict_fault is not None:
                _emit(_WARNING, key, "delete", elapsed, "error", evict_fault)
        if change is not None:
            _breaker_changed(change, breaker.failures)
        return cast(T, value) if outcome.found else _MISS

    def _late(self, key: CacheKey, op: str, elapsed: float) -> _Miss:
        # Its caller already got a miss and counted a fault; the result is dropped.
        _emit(_INFO, key, op, elapsed, "finished after its caller timed out; result dropped")
        return _MISS

    def _admit(self, key: CacheKey, op: str, *, lookup: bool) -> bool:
        """Ask the (not closed) breaker whether this call may reach the cache."""
        with self._state:
            allowed = self._breaker.allow()
            if not allowed:
                self._stats.bypassed += 1
                if lookup:
                    self._stats.misses += 1
        if not allowed and logger.isEnabledFor(_DEBUG):
            _emit(_DEBUG, key, op, 0.0, "bypassed")
        return allowed

    def _write(
        self,
        key: CacheKey,
        envelope: dict[str, Any],
        ttl: float | None,
        op: str,
        ticket: _Ticket | None = None,
    ) -> None:
        cache_type, content_key = key
        if ttl is None:
            call = partial(self._set, cache_type, content_key, envelope)
        else:
            call = partial(self._set, cache_type, content_key, envelope, **{self._ttl_keyword: ttl})
        self._change(key, op, call, ticket, counts_as_set=True)

    def _remove(self, key: CacheKey, ticket: _Ticket | None = None) -> bool:
        delete = self._delete
        if delete is None:
            return False
        return self._change(key, "delete", partial(delete, *key), ticket, counts_as_set=False)

    def _change(
        self,
        key: CacheKey,
        op: str,
        call: Callable[[], object],
        ticket: _Ticket | None,
        *,
        counts_as_set: bool,
    ) -> bool:
        """Run one ``set`` or ``delete`` *call* under the cache lock, then account for it once.

        The gate (inline calls) or the abandoned ticket (offloaded ones), the
        fault boundary, the breaker, the counters (``sets`` only when
        *counts_as_set*), the latency sample and the log record are shared by
        both, so a failing delete trips the breaker exactly as a failing set
        does. True when *call* ran and returned.
        """
        if ticket is None:
            if not self._gate(key, op, lookup=False):
                return False
        elif ticket.abandoned:
            return False  # its caller timed out while it waited in the queue
        fault: Exception | None = None
        try:
            with self._lock:
                start = perf_counter()
                try:
                    call()
                except Exception as exc:  # noqa: BLE001 - a failing set or delete is logged and swallowed
                    fault = exc
                elapsed = perf_counter() - start
        except BaseException:
            self._escaped(ticket)
            raise
        stats = self._stats
        with self._state:
            if not self._settle(ticket):
                self._late(key, op, elapsed)
                return False
            change = self._breaker.record_success() if fault is None else self._breaker.record_failure()
            stats.latencies.append(elapsed)
            if fault is not None:
                stats.errors += 1
            elif counts_as_set:
                stats.sets += 1
        if fault is not None:
            _emit(_WARNING, key, op, elapsed, "error", fault)
        elif logger.isEnabledFor(_DEBUG):
            _emit(_DEBUG, key, op, elapsed, "stored" if counts_as_set else "deleted")
        if change is not None:
            _breaker_changed(change, self._breaker.failures)
        return fault is None

    def _escaped(self, ticket: _Ticket | None) -> None:
        """Count a ``BaseException`` (cancellation, ``KeyboardInterrupt``) out of the cache as a fault.

        Not if the call's caller already gave up on it and counted the fault itself.
        """
        with self._state:
            if self._settle(ticket):
                self._breaker.record_failure()

    async def _store(self, key: CacheKey, codec: Codec[T], value: T, ttl: float | None, op: str) -> None:
        if cache_disabled():
            return
        try:
            envelope = codec.encode(value)
        except Exception as exc:  # noqa: BLE001 - an unserializable value is not cached
            _emit(_WARNING, key, op, 0.0, "unserializable", exc)
            return
        await self._put(key, envelope, ttl, op)

    async def _put(self, key: CacheKey, envelope: dict[str, Any], ttl: float | None, op: str) -> None:
        if self._worker is None:
            self._write(key, envelope, ttl, op)
        elif self._gate(key, op, lookup=False):
            await self._offloaded(partial(self._write, key, envelope, ttl, op), key, op, lookup=False, gave_up=None)


async def _call(compute: Callable[[], Any]) -> Any:
    result = compute()
    if inspect.isawaitable(result):
        return await result
    return result


def _consume_exception(task: asyncio.Task[Any]) -> None:
    # Every waiter re-raises the exception; this only silences asyncio's
    # "exception was never retrieved" when all of them were cancelled.
    if not task.cancelled():
        task.exception()


def _emit(
    level: int,
    key: CacheKey,
    op: str,
    elapsed: float,
    outcome: str,
    exc: BaseException | None = None,
) -> None:
    duration_ms = round(elapsed * 1000.0, 3)
    logger.log(
        level,
        "cache %s %s/%s: %s in %.3f ms%s",
        op,
        key[0],
        key[1],
        outcome,
        duration_ms,
        f" ({_describe(exc)})" if exc is not None else "",
        extra={
            "cache_type": key[0],
            "content_key": key[1],
            "operation": op,
            "duration_ms": duration_ms,
            "outcome": outcome,
        },
    )


def _describe(exc: BaseException) -> str:
    """``Type: message``, even for an exception whose ``__str__`` raises (it came from the cache)."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001
        text = "<unprintable>"
    return f"{type(exc).__name__}: {text}"


def _breaker_changed(state: BreakerState, failures: int) -> None:
    if state is BreakerState.OPEN:
        logger.warning(
            "cache circuit breaker opened after %d consecutive failures; bypassing the cache",
            failures,
            extra={"operation": "breaker", "outcome": state.value},
        )
    else:
        logger.info(
            "cache circuit breaker %s",
            state.value,
            extra={"operation": "breaker", "outcome": state.value},
        )


def _check_sync_cache(cache: object) -> None:
    if isinstance(cache, AsyncCacheManager):
        raise TypeError("AsyncCacheManager wraps a synchronous cache, got an AsyncCacheManager; use as_async()")
    for name in ("get", "set"):
        method = getattr(cache, name, None)
        if not callable(method):
            raise TypeError(
                f"{type(cache).__qualname__} is not a sync cache: "
                f"it has no callable {name}(cache_type, content_key, ...)"
            )
        if inspect.iscoroutinefunction(method) and _declares_coroutine(method):
            raise TypeError(
                f"{type(cache).__qualname__}.{name} is async: await it directly instead of wrapping it"
                " in AsyncCacheManager"
            )


def _declares_coroutine(method: object) -> bool:
    """False for a ``create_autospec`` of a sync method: its ``__code__.co_flags`` is a mock
    that ``inspect.iscoroutinefunction`` (3.11) reads as a coroutine flag; ``AsyncMock`` and
    real functions carry an ``int``."""
    flags = getattr(getattr(inspect.unwrap(method), "__code__", None), "co_flags", None)  # type: ignore[arg-type]
    return flags is None or isinstance(flags, int)
