"""The writer's memory: which allocator Arrow takes its buffers from.

Arrow's C++ default pool, which the Parquet reader and writer use inside, is chosen from the variable
``ARROW_DEFAULT_MEMORY_POOL`` when pyarrow first loads (``pyarrow.set_memory_pool`` later does not reach it). The
system allocator gives back what a commit or a corpus-level stage freed, where mimalloc, Arrow's default, kept it
reserved: at 3,000 generated articles the writer's peak was 222 MiB with mimalloc and 151 MiB with the system
allocator (docs/SCALING.md). The command line asks for it before anything imports pyarrow; a program that
imports the package and runs :func:`pipeline.run.run` itself keeps whatever pool it has.
"""

from __future__ import annotations

import os
import sys


def use_system_allocator() -> bool:
    """Ask for the system allocator as Arrow's default pool, unless the variable is already set (the user's
    choice wins). Returns whether it takes effect: not when pyarrow is already loaded."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    return "pyarrow" not in sys.modules
