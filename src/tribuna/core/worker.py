"""What `tribuna worker` drains besides periodic jobs: the queues apps register, and its own name.

    from tribuna.core import worker
    worker.register_queue(worker.Queue("notifications.outbox", work=..., take_back=..., report=...))

A queue's `work(batch_size=..., worker=..., should_stop=...)` handles one batch and returns
what it did (`handled`, `summary()`, `errors`); `take_back(name)` runs once when a worker
starts, and `report()` gives the lines of `tribuna worker --dry-run`.

The worker's name is its host and a slot number held by an exclusive lock on a file in
TRIBUNA_DATA_DIR. The kernel drops the lock when the process dies, even by `kill -9`, so a
restarted worker gets the same name back (the lowest free slot) while no two live workers
on a host ever share one. That is what lets a restarted worker take its predecessor's
claimed rows back at once, instead of waiting for their lease to run out.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from multiprocessing import util as multiprocessing_util
from pathlib import Path
from typing import Protocol

from django.conf import settings

from tribuna.core import schedule

log = logging.getLogger(__name__)


class Turn(Protocol):
    """What one call of a queue's `work` did."""

    errors: list[str]

    @property
    def handled(self) -> int: ...

    def summary(self) -> str: ...


@dataclass(frozen=True)
class Queue:
    name: str
    work: Callable[..., Turn]
    take_back: Callable[[str], object]
    report: Callable[[], list[str]]


_queues: dict[str, Queue] = {}


def register_queue(queue: Queue) -> None:
    _queues[queue.name] = queue


def queues() -> list[Queue]:
    return list(_queues.values())


class Name:
    """A worker's name, held for as long as the process lives or until `release()`."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for slot in count():
            fd = os.open(directory / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self._fd: int | None = fd
            self.value = f"{socket.gethostname()}/{slot}"
            return

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None


def drain(
    batch_size: int | None, name: str, should_stop: Callable[[], bool], on_turn: Callable[[Turn], object]
) -> bool:
    """Work each queue until none has anything due; True if anything was handled."""
    busy = False
    while not should_stop():
        handled = 0
        for queue in queues():
            turn = queue.work(batch_size=batch_size, worker=name, should_stop=should_stop)
            handled += turn.handled
            on_turn(turn)
        if not handled:
            return busy
        busy = True
    return busy


def run(
    name: str,
    should_stop: Callable[[], bool],
    *,
    loop: bool = True,
    batch_size: int | None = None,
    on_turn: Callable[[Turn], object] = lambda turn: None,
    on_ready: Callable[[], object] = lambda: None,
) -> None:
    """The worker: take back what this name had claimed, then run due jobs and drain the queues, until
    ``should_stop`` (or once, without ``loop``). `tribuna worker` and `tribuna serve --with-worker` both
    run this."""
    for queue in queues():
        queue.take_back(name)
    on_ready()
    while not should_stop():
        schedule.run_due()
        busy = drain(batch_size, name, should_stop, on_turn)
        if not loop:
            return
        if not busy:
            deadline = time.monotonic() + settings.TRIBUNA_WORKER_INTERVAL
            while not should_stop() and time.monotonic() < deadline:
                time.sleep(min(0.1, settings.TRIBUNA_WORKER_INTERVAL))


def start_in_thread(directory: Path, stop_timeout: float = 20.0) -> threading.Thread:
    """Run the worker in a thread of this (web server) process: a small site then needs one process
    tree, not two, and the memory of a second Django process (README, "Sizing").

    The thread holds a worker name like a `tribuna worker` process, so what it claimed is taken back
    if the process dies. On a normal exit it is asked to stop and finish the message in hand: the
    server's worker processes exit through multiprocessing (whose finalizers run, not ``atexit``),
    other servers through the interpreter's ``atexit``."""
    stopping = threading.Event()

    def work() -> None:
        name = Name(directory)
        try:
            run(name.value, stopping.is_set)
        except Exception:  # the web server goes on; the process manager's restart brings it back
            log.exception("the in-process worker stopped")
        finally:
            name.release()

    thread = threading.Thread(target=work, name="tribuna-worker", daemon=True)

    def stop() -> None:
        stopping.set()
        if thread.is_alive():
            thread.join(stop_timeout)

    multiprocessing_util.Finalize(thread, stop, exitpriority=100)
    atexit.register(stop)
    thread.start()
    return thread
