"""Ingest: a corpus folder in, article records and one-line rejects out.

Formats (found recursively, hidden files skipped):
- ``.txt``: plain text; metadata from a sidecar ``metadata.csv`` in the same
  folder (file,title,published,source,author,url), else from the text itself.
- ``.md``/``.txt`` with a YAML front-matter block between ``---`` lines.
- ``.jsonl``: one article per line, an object with ``text`` and the same keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .dateline import dateline_date
from .errors import Errors

log = logging.getLogger(__name__)

META_KEYS = ("title", "published", "source", "url", "author")
SIDECAR = "metadata.csv"

@dataclass
class Article:
    path: str                      # relative to the corpus folder; "file.jsonl:LINE" for JSONL
    text: str
    title: str | None = None
    published: dt.date | None = None
    published_source: str = "none"  # metadata | dateline | none
    source: str | None = None
    url: str | None = None
    author: str | None = None
    extra: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    @property
    def content_sha256(self) -> str:
        meta = [self.title, str(self.published or ""), self.source, self.url, self.author,
                json.dumps(self.extra, sort_keys=True, default=str)]
        return hashlib.sha256((json.dumps(meta) + "\0" + self.text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Reject:
    path: str
    reason: str


def read_corpus(corpus: Path, settings: dict) -> tuple[list[Article], list[Reject]]:
    """Every article under ``corpus`` (sorted by path) and every input that could not be used."""
    articles: list[Article] = []
    rejects: list[Reject] = []
    sidecars: dict[Path, dict[str, dict]] = {}
    extensions = [e.lower() for e in settings["extensions"]]
    for p in sorted(corpus.rglob("*")):
        rel = p.relative_to(corpus).as_posix()
        if any(part.startswith(".") for part in p.relative_to(corpus).parts) or p.is_dir():
            continue
        if p.name == SIDECAR:
            continue
        ext = p.suffix.lower()
        if ext not in extensions:
            rejects.append(Reject(rel, Errors.E107.format(ext=ext or "(none)", expected=", ".join(extensions))))
            continue
        try:
            size = p.stat().st_size
            if size > settings["max_file_bytes"] and ext != ".jsonl":   # a feed is limited per article
                rejects.append(Reject(rel, Errors.E108.format(size=size, limit=settings["max_file_bytes"])))
                continue
            data = p.read_bytes()
        except OSError as e:
            rejects.append(Reject(rel, Errors.E103.format(reason=e.strerror or str(e))))
            continue
        if b"\x00" in data:
            rejects.append(Reject(rel, Errors.E102))
            continue
        text, warning = decode(data)
        if ext == ".jsonl":
            got_a, got_r = parse_jsonl(rel, text, settings)
            articles += got_a
            rejects += got_r
            continue
        if p.parent not in sidecars:
            sidecars[p.parent], bad = read_sidecar(p.parent / SIDECAR)
            if bad:
                rejects.append(Reject((p.parent / SIDECAR).relative_to(corpus).as_posix(), bad))
        item = parse_text_file(rel, text, sidecars[p.parent].get(p.name), settings)
        if isinstance(item, Article) and warning:
            item.warnings.append(warning)
            log.warning("%s: %s", rel, warning)
        (articles if isinstance(item, Article) else rejects).append(item)
    return articles, rejects


def decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 text (BOM removed, newlines unified) and a warning if bytes had to be replaced."""
    try:
        text, warning = data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        text, warning = data.decode("utf-8", errors="replace"), Errors.E110.format(pos=e.start)
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), warning


def read_sidecar(path: Path) -> tuple[dict[str, dict], str | None]:
    if not path.is_file():
        return {}, None
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return {}, Errors.E112.format(reason=str(e))
    if rows and "file" not in rows[0]:
        return {}, Errors.E112.format(reason="no 'file' column; expected file,title,published,source,author,url")
    return {r["file"]: {k: (v or "").strip() or None for k, v in r.items() if k} for r in rows}, None


def parse_text_file(rel: str, text: str, sidecar: dict | None, settings: dict) -> Article | Reject:
    meta: dict = {}
    body = text
    if text.startswith("---\n"):
        end = re.search(r"^---\s*$", text[4:], flags=re.M)
        if not end:
            return Reject(rel, Errors.E104.format(reason="no closing '---' line"))
        try:
            meta = yaml.safe_load(text[4:4 + end.start()]) or {}
        except yaml.YAMLError as e:
            return Reject(rel, Errors.E104.format(reason=str(e).splitlines()[0]))
        if not isinstance(meta, dict):
            return Reject(rel, Errors.E104.format(reason=f"got {type(meta).__name__}"))
        body = text[4 + end.end():].lstrip("\n")
    if sidecar:
        meta = {**{k: v for k, v in sidecar.items() if k != "file" and v is not None}, **meta}
    return make_article(rel, body, meta, settings)


def parse_jsonl(rel: str, text: str, settings: dict) -> tuple[list[Article], list[Reject]]:
    articles, rejects = [], []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            rejects.append(Reject(f"{rel}:{n}", Errors.E105.format(line=n, reason=e.msg)))
            continue
        if not isinstance(obj, dict):
            rejects.append(Reject(f"{rel}:{n}", Errors.E113.format(line=n, kind=type(obj).__name__)))
            continue
        body = obj.pop("text", None)
        if not isinstance(body, str) or not body.strip():
            rejects.append(Reject(f"{rel}:{n}", Errors.E106.format(line=n)))
            continue
        item = make_article(f"{rel}:{n}", body.replace("\r\n", "\n"), obj, settings)
        (articles if isinstance(item, Article) else rejects).append(item)
    return articles, rejects


def make_article(rel: str, body: str, meta: dict, settings: dict) -> Article | Reject:
    if not body.strip():
        return Reject(rel, Errors.E101)
    if len(body) > settings["max_file_bytes"]:       # one JSONL line can hold a whole book
        return Reject(rel, Errors.E114.format(size=len(body), limit=settings["max_file_bytes"]))
    art = Article(path=rel, text=body)
    for key in ("title", "source", "url", "author"):
        value = meta.get(key)
        setattr(art, key, str(value).strip() if value not in (None, "") else None)
    art.extra = {k: v for k, v in meta.items() if k not in META_KEYS}
    raw_date = meta.get("published")
    if raw_date not in (None, ""):
        art.published = to_date(raw_date)
        if art.published is None:
            art.warnings.append(Errors.E111.format(key="published", value=raw_date))
            log.warning("%s: %s", rel, art.warnings[-1])
        else:
            art.published_source = "metadata"
    if art.title is None:
        art.title = headline(body, settings["headline_max_words"])
    if art.published is None:
        found = dateline_date(body)
        if found:
            art.published, art.published_source = found, "dateline"
    return art


def to_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def headline(body: str, max_words: int) -> str | None:
    """The first non-empty line when it reads as a headline: short, no closing full stop, more text after it."""
    lines = body.strip().split("\n")
    first = lines[0].strip()
    rest = "\n".join(lines[1:]).strip()
    if not rest or len(first.split()) > max_words or first.endswith((".", ",", ";", ":")):
        return None
    return first
