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

import fcntl
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Protocol


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
