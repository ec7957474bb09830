"""The writer's memory: which allocator Arrow takes its buffers from.

Arrow's C++ default pool, which the Parquet reader and writer use inside, is chosen from the variable
``ARROW_DEFAULT_MEMORY_POOL`` when pyarrow first loads (``pyarrow.set_memory_pool`` later does not reach it). The
system allocator gives back what a commit or a corpus-level stage freed, where mimalloc, Arrow's default, kept it
reserved: at 3,000 generated articles the writer's peak was 222 MiB with mimalloc and 151 MiB with the system
allocator (docs/SCALING.md). The command line asks for it before anything imports pyarrow. A program that
imports the package and runs :func:`pipeline.run.run` itself keeps the C++ pool it started with; the run's own
allocations through pyarrow still come from the system allocator (:func:`writer_memory_pool`), unless the
variable names another pool.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager


def use_system_allocator() -> bool:
    """Ask for the system allocator as Arrow's default pool, unless the variable is already set (the user's
    choice wins). Returns whether it takes effect: not when pyarrow is already loaded."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    return "pyarrow" not in sys.modules


@contextmanager
def writer_memory_pool():
    """The writer's Arrow allocations made through pyarrow (the workers' tables it takes in, concatenated per
    commit; the corpus-level stages' columns) from the system allocator for the run, unless
    ``ARROW_DEFAULT_MEMORY_POOL`` names another pool (the command line sets it to the system allocator before
    pyarrow loads, :func:`use_system_allocator`, which also covers the Parquet reader and writer inside)."""
    import pyarrow as pa            # not at the top: the command line imports this module before pyarrow loads

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "system") != "system":
        yield
        return
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(pool)
