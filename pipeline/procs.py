"""Worker processes that never outlive their run.

A run started with ``--workers N`` parses in child processes. If the run is killed (``kill -9``),
its children must die with it, or they would keep the output lock and go on using memory.
Linux delivers a chosen signal to a process when its parent dies (``PR_SET_PDEATHSIG``); every
child sets it for itself as it starts, and the run's lock file is closed in the child, so a
child can never hold the lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
_CLOSE_IN_CHILD: set[int] = set()       # file descriptors a child must not keep (the run lock)
_registered = False
_forking_parent: int | None = None      # pid of the process that forks, recorded just before the fork


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux; a no-op elsewhere).

    If the parent died before the request took effect, exit now (the signal would never come)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):       # no libc/prctl: children are only ended by the run itself
        return
    if parent_pid is None:
        parent = multiprocessing.parent_process()
        parent_pid = parent.pid if parent is not None else None
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)                          # the parent died before prctl took effect


def _before_fork() -> None:
    global _forking_parent
    _forking_parent = os.getpid()


def _in_child() -> None:
    die_with_parent(_forking_parent)
    for fd in list(_CLOSE_IN_CHILD):
        try:
            os.close(fd)
        except OSError:
            pass
    _CLOSE_IN_CHILD.clear()


def guard_children() -> None:
    """From now on, every forked child dies with this process and drops the lock (idempotent)."""
    global _registered
    if not _registered:
        os.register_at_fork(before=_before_fork, after_in_child=_in_child)
        _registered = True


def close_in_children(fd: int) -> None:
    _CLOSE_IN_CHILD.add(fd)


def release_in_children(fd: int) -> None:
    _CLOSE_IN_CHILD.discard(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs (a zombie counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


if multiprocessing.parent_process() is not None:      # a spawned or forkserver child imports us
    die_with_parent()
