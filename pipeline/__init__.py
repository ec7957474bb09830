"""News claim extraction pipeline: articles in, Parquet tables out.

The public API, re-exported from the stage modules.
"""

from .config import PIPELINE_VERSION, Config, load_config
from .entities import entity_rows
from .errors import Errors, PipelineError
from .ingest import Article, Reject, read_corpus
from .run import plan_run, run, status
from .schemas import ALL_TABLES, data_dictionary
from .segment import sentence_rows
from .store import Store

__version__ = PIPELINE_VERSION
__all__ = [
    "PIPELINE_VERSION", "Config", "load_config", "entity_rows", "Errors", "PipelineError",
    "Article", "Reject", "read_corpus", "plan_run", "run", "status", "ALL_TABLES",
    "data_dictionary", "sentence_rows", "Store",
]
