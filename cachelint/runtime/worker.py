"""``Worker``: the one thread that runs a manager's offloaded calls, in order.

``AsyncCacheManager(offload=True)`` sends every call into the sync cache here
instead of to the event loop's default executor, for three reasons:

* The sync cache is entered by one thread at a time anyway (the manager's
  lock), so a single thread loses nothing and a slow or hung backend can never
  occupy more than this one thread — it cannot starve the application's other
  ``asyncio.to_thread`` users of the shared executor.
* A thread inside a hung backend call cannot be killed. This one is a daemon
  thread, so it does not keep the process (or ``asyncio.run``'s executor
  shutdown) waiting for that call; it simply finishes the call whenever the
  backend returns, then takes the next job.
* ``busy_for`` tells the manager how long the current call has been running,
  so callers can fail fast instead of queueing behind a call that is already
  past its timeout.

The thread starts on the first job and exits after ``idle_seconds`` without
one (a later job starts a new one), so idle managers hold no thread. Each job
runs in a copy of the submitting task's ``contextvars`` context, like
``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Final, TypeVar

__all__ = ["Worker"]

T = TypeVar("T")

_Job = tuple[contextvars.Context, Callable[[], Any], "asyncio.Future[Any]"]

IDLE_SECONDS: Final = 5.0


class Worker:
    """A lazily started daemon thread that runs submitted calls one at a time."""

    __slots__ = ("_busy_since", "_idle_seconds", "_jobs", "_lock", "_name", "_thread")

    def __init__(self, name: str, idle_seconds: float = IDLE_SECONDS) -> None:
        self._name = name
        self._idle_seconds = idle_seconds
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards starting and retiring the thread
        self._thread: threading.Thread | None = None
        self._busy_since: float | None = None

    def submit(self, call: Callable[[], T]) -> asyncio.Future[T]:
        """Queue *call*; the returned future (of the running loop) gets its result or exception."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put((contextvars.copy_context(), call, future))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        return future

    def busy_for(self) -> float:
        """Seconds the current call has been running (0.0 when idle)."""
        since = self._busy_since
        return 0.0 if since is None else time.monotonic() - since

    def pending(self) -> int:
        """Jobs queued and not yet started (approximate)."""
        return self._jobs.qsize()

    def _run(self) -> None:
        while True:
            try:
                context, call, future = self._jobs.get(timeout=self._idle_seconds)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._thread = None
                        return
                continue
            self._busy_since = time.monotonic()
            try:
                _execute(context, call, future)
            finally:
                self._busy_since = None
            del context, call, future  # hold no finished job's objects while idle


def _execute(context: contextvars.Context, call: Callable[[], Any], future: asyncio.Future[Any]) -> None:
    try:
        result = context.run(call)
    except BaseException as exc:  # noqa: BLE001 - delivered to the awaiting task, as to_thread does
        _deliver(future, None, exc)
    else:
        _deliver(future, result, None)


def _deliver(future: asyncio.Future[Any], result: object, exc: BaseException | None) -> None:
    try:
        future.get_loop().call_soon_threadsafe(_settle, future, result, exc)
    except RuntimeError:
        pass  # the loop is closed: nobody is waiting any more


def _settle(future: asyncio.Future[Any], result: object, exc: BaseException | None) -> None:
    if future.done():  # the awaiting task was cancelled
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)
