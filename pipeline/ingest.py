"""Ingest: a corpus folder in, article records and one-line rejects out.

Formats (found recursively, hidden files skipped):
- ``.txt``: plain text; metadata from a sidecar ``metadata.csv`` in the same
  folder (file,title,published,source,author,url), else from the text itself.
- ``.md``/``.txt`` with a YAML front-matter block between ``---`` lines.
- ``.jsonl``: one article per line, an object with ``text`` and the same keys.

No input can stop a run: every failure while reading or parsing one input becomes a
:class:`Reject` with a coded one-line reason. Only regular files inside the corpus
folder are read (a symlink only when its target resolves inside the folder), each
with a size bound before decoding; YAML and JSON are parsed with bounds on size,
nesting depth and alias expansion.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from .dateline import dateline_date
from .errors import Errors

log = logging.getLogger(__name__)

META_KEYS = ("title", "published", "source", "url", "author")
SIDECAR = "metadata.csv"

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")       # C0/C1 controls but tab and newline
LINE_BREAKS = re.compile(r"[\t\n]+")
SURROGATE = re.compile(r"[\ud800-\udfff]")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
FILE_KINDS = ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISCHR, "character device"),
              (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))


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
    has_metadata: bool = False     # front matter, a metadata.csv row or JSONL keys besides "text"
    size: int | None = None        # of the file it was read from (stat before reading)
    mtime_ns: int | None = None
    origin: tuple | None = None    # (real path, listing folder, sidecar row) of a one-article file: how to read it again

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
    content_sha256: str | None = None     # set for extraction failures: retried only when it changes


class Entry(NamedTuple):
    """A regular file of the corpus: its real path, its name as stored in the tables, the folder it is listed in."""
    path: str | Path
    rel: str
    folder: str                    # display name of the listing folder: "" or "sub/"
    identity: tuple | None = None  # (st_dev, st_ino) seen by the walk: the file opened must be that file
    size: int | None = None        # st_size and st_mtime_ns seen by the walk
    mtime_ns: int | None = None

    @property
    def name(self) -> str:
        return self.rel[len(self.folder):]


class InputError(Exception):
    """One input cannot be used; the message is a coded reject reason."""


# -- walking the corpus --------------------------------------------------------------------------

def display_name(rel: str) -> str:
    """A relative path as stored in the tables: bytes that are not UTF-8 and control characters escaped.

    Always encodable as UTF-8, so a strange file name never breaks a write; unchanged for ordinary names; two
    different names never give the same stored name.
    """
    raw = os.fsencode(rel)
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        s = None
    if s is not None and not CONTROL.search(s) and not any(c in s for c in "\n\t\\"):
        return s                                   # an ordinary name is stored as it is
    # one-to-one: a literal backslash is doubled, so an escape never equals another file's real name
    s = raw.replace(b"\\", b"\\\\").decode("utf-8", errors="backslashreplace")
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", s).replace("\n", "\\n").replace("\t", "\\t")


def file_kind(mode: int) -> str | None:
    """The name of a special file's kind (FIFO, device, socket), or None for a regular file or a folder."""
    for test, kind in FILE_KINDS:
        if test(mode):
            return kind
    return None


def walk_corpus(corpus: Path, extensions: list[str]) -> tuple[list[Entry], list[Reject]]:
    """Regular files under ``corpus`` in path order, and a reject for every entry that is not one.

    Symlinks are followed only when their target resolves inside the corpus folder; hidden names are skipped.
    """
    root = Path(os.path.realpath(corpus))
    entries: list[Entry] = []
    rejects: list[Reject] = []
    seen_dirs = {str(root)}

    def visit(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:        # one listing; a plain entry costs one lstat
                items = sorted(((d.name, d) for d in listing), key=lambda item: item[0])
        except OSError as e:
            rejects.append(Reject(display_name(prefix or "."), Errors.E103.format(reason=e.strerror or str(e))))
            return
        shown_folder = display_name(prefix)
        for name, dentry in items:
            if name.startswith("."):
                continue
            rel, path = prefix + name, os.path.join(folder, name)     # a string: 10,000 Paths cost 0.15 s
            shown = display_name(rel)
            try:
                if dentry.is_symlink():
                    real, st = _resolve(root, Path(path))
                else:
                    real, st = path, dentry.stat(follow_symlinks=False)
            except InputError as e:
                rejects.append(Reject(shown, str(e)))
                continue
            except OSError as e:                   # gone or unreadable between listing and stat
                rejects.append(Reject(shown, Errors.E103.format(reason=e.strerror or str(e))))
                continue
            if stat.S_ISDIR(st.st_mode):
                if Path(name).suffix.lower() in extensions:
                    rejects.append(Reject(shown, Errors.E118.format(ext=Path(name).suffix)))
                if str(real) not in seen_dirs:     # a symlink loop is walked once
                    seen_dirs.add(str(real))
                    visit(str(real), rel + "/")
            elif file_kind(st.st_mode):
                rejects.append(Reject(shown, Errors.E119.format(kind=file_kind(st.st_mode))))
            else:
                entries.append(Entry(real, shown, shown_folder, (st.st_dev, st.st_ino), st.st_size, st.st_mtime_ns))

    visit(str(root), "")
    return entries, rejects


def _resolve(root: Path, path: Path) -> tuple[Path, os.stat_result]:
    """The real path of a corpus entry and its status; refuses targets outside ``root``."""
    if not path.is_symlink():
        return path, path.lstat()
    real = Path(os.path.realpath(path))
    if real != root and root not in real.parents:
        raise InputError(Errors.E117.format(target=display_name(str(real))))
    try:
        return real, real.stat()
    except OSError as e:
        raise InputError(Errors.E103.format(reason=e.strerror or str(e)))


def read_bounded(path: Path, limit: int, too_big, identity: tuple | None = None) -> bytes:
    """The bytes of a regular file, refusing (before reading) more than ``limit`` bytes.

    Opened non-blocking (a FIFO swapped in after the walk cannot hang the run) and without following a
    symlink; when the walk saw the file, the file opened must be that one (no swap between walk and read).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise InputError(Errors.E103.format(reason=e.strerror or str(e)))
    try:
        st = os.fstat(fd)
        if identity is not None and (st.st_dev, st.st_ino) != identity:
            raise InputError(Errors.E103.format(reason="the file changed while the corpus was read"))
        if not stat.S_ISREG(st.st_mode):
            raise InputError(Errors.E119.format(kind=file_kind(st.st_mode) or "folder"))
        if st.st_size > limit:
            raise InputError(too_big(st.st_size))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:                      # grew while we read it
            raise InputError(too_big(len(data)))
        return data
    except OSError as e:
        raise InputError(Errors.E103.format(reason=e.strerror or str(e)))
    finally:
        os.close(fd)


# -- reading the corpus ---------------------------------------------------------------------------

class Planned(NamedTuple):
    """An article to process as the plan holds it, without its text: what it was when planned and where to read
    it again (:func:`planned`, :func:`reread`)."""

    path: str
    doc_id: str
    content_sha256: str
    size: int | None
    mtime_ns: int | None
    origin: tuple
    has_metadata: bool = False


def planned(art: Article) -> Article | Planned:
    """The article without its text when it can be read again from its own file (``origin``), else whole (a JSONL
    line): the plan of a large run then holds a few hundred bytes per article, not its text."""
    if art.origin is None:
        return art
    return Planned(art.path, art.doc_id, art.content_sha256, art.size, art.mtime_ns, art.origin, art.has_metadata)


def reread(items: list, settings: dict) -> tuple[list[Article], list[tuple[str, str, None]]]:
    """The articles of ``items`` (Articles, and :class:`Planned` ones read again from their files), and a
    (path, reason, None) failure for each file that cannot be read again as it was planned: changed since (E103,
    read again by the next run, which sees the change) or now a reject of ingest. The warnings of ingest were
    logged when the article was planned, so they are not logged again."""
    if settings is None and any(isinstance(i, Planned) for i in items):
        raise ValueError("reread: planned articles need the ingest settings to be read again")
    articles, failed = [], []
    for item in items:
        if not isinstance(item, Planned):
            articles.append(item)
            continue
        real, folder, row = item.origin
        name = item.path[len(folder):]
        got, rejects = read_entries([Entry(Path(real), item.path, folder, None, item.size, item.mtime_ns)],
                                    {folder: {name: row}} if row else {}, settings, quiet=True)
        if got and got[0].content_sha256 == item.content_sha256:
            articles.append(got[0])
        else:
            failed.append((item.path, rejects[0].reason if rejects else
                           Errors.E103.format(reason="the file changed after the run was planned"), None))
    return articles, failed


def ingest_settings(config) -> dict:
    """The ingest section of the settings, with the compiled date rules a dateline's date is read by."""
    from .dates import load_date_rules
    from .rules import load_lexicon

    numbers = load_lexicon(config.rule_path("rules", "lexicon")).numbers
    return {**config.section("ingest"), "date_rules": load_date_rules(config.rule_path("rules", "dates"), numbers)}


def read_corpus(corpus: Path, settings: dict) -> tuple[list[Article], list[Reject]]:
    """Every article under ``corpus`` (sorted by path) and every input that could not be used."""
    articles, rejects, _ = scan_corpus(corpus, settings)
    return articles, rejects


def scan_corpus(corpus: Path, settings: dict, known: dict[str, tuple[int, int]] | None = None,
                keep_text: bool = True) -> tuple[list[Article | Planned], list[Reject], dict[str, Entry]]:
    """Like :func:`read_corpus`, but a file listed in ``known`` (path -> (size, mtime_ns) when it was last
    read) whose size and modification time are unchanged is not read again: it comes back in the third value
    (path -> Entry), as make and rsync decide. Only a single-article file outside a folder with a
    ``metadata.csv`` can be skipped (a sidecar row or a JSONL line may change without the file changing).
    With ``keep_text`` False each article read is :func:`planned` at once, so the texts are not all held."""
    known = known or {}
    extensions = [e.lower() for e in settings["extensions"]]
    entries, rejects = walk_corpus(corpus, extensions)
    articles: list[Article] = []
    skipped: dict[str, Entry] = {}
    sidecars: dict[str, dict[str, dict]] = {}
    for entry in entries:
        if entry.name == SIDECAR:
            sidecars[entry.folder], bad = read_sidecar(entry.path, settings, entry.identity)
            rejects += [Reject(entry.rel, r.reason) for r in bad]
    used = {(e.folder, e.name) for e in entries}
    sidecar_folders = {e.folder for e in entries if e.name == SIDECAR}
    for entry in entries:
        ext = Path(entry.name).suffix.lower()
        if entry.name == SIDECAR:
            continue
        if ext not in extensions:
            rejects.append(Reject(entry.rel, Errors.E107.format(ext=ext or "(none)", expected=", ".join(extensions))))
            continue
        if (ext != ".jsonl" and entry.folder not in sidecar_folders
                and known.get(entry.rel) == (entry.size, entry.mtime_ns)):
            skipped[entry.rel] = entry
            continue
        got_a, got_r = read_entries([entry], sidecars, settings)
        articles += got_a if keep_text else [planned(a) for a in got_a]
        rejects += got_r
    for folder, rows in sidecars.items():
        for name, row in rows.items():
            if (folder, name) not in used:
                rejects.append(Reject(f"{folder}{SIDECAR}:{row['_line']}",
                                      Errors.E125.format(line=row["_line"], file=name)))
    return articles, rejects, skipped


def read_entries(entries: list[Entry], sidecars: dict[str, dict[str, dict]], settings: dict, quiet: bool = False
                 ) -> tuple[list[Article], list[Reject]]:
    """The articles and rejects of these corpus files (no input can stop the reading); ``quiet``: the articles'
    warnings are not logged (a file read again)."""
    articles: list[Article] = []
    rejects: list[Reject] = []
    for entry in entries:
        ext = Path(entry.name).suffix.lower()
        try:
            got_a, got_r = read_entry(entry, ext, sidecars.get(entry.folder, {}).get(entry.name), settings, quiet)
        except InputError as e:
            got_a, got_r = [], [Reject(entry.rel, str(e))]
        except Exception as e:  # noqa: BLE001 - one input must never stop a run
            got_a, got_r = [], [Reject(entry.rel, Errors.E116.format(kind=type(e).__name__, reason=_first_line(e)))]
        for art in got_a:
            art.size, art.mtime_ns = entry.size, entry.mtime_ns
            if ext != ".jsonl":
                art.origin = (str(entry.path), entry.folder, sidecars.get(entry.folder, {}).get(entry.name))
        articles += got_a
        rejects += got_r
    return articles, rejects


def _first_line(e: BaseException) -> str:
    return (str(e).splitlines() or [""])[0][:200]


def read_entry(entry: Entry, ext: str, sidecar: dict | None, settings: dict, quiet: bool = False
               ) -> tuple[list[Article], list[Reject]]:
    """The articles of one file (one, or one per JSONL line) and its rejects; raises InputError."""
    if ext == ".jsonl":
        limit = settings["max_jsonl_bytes"]
        data = read_bounded(entry.path, limit, lambda n: Errors.E127.format(size=n, limit=limit), entry.identity)
        return parse_jsonl(entry.rel, data, settings)
    limit = settings["max_file_bytes"]
    data = read_bounded(entry.path, limit, lambda n: Errors.E108.format(size=n, limit=limit), entry.identity)
    text, warning = decode(data, settings["max_replacement_share"])
    item = parse_text_file(entry.rel, text, sidecar, settings)
    if isinstance(item, Article) and warning:
        item.warnings.insert(0, warning)
    if isinstance(item, Article) and not quiet:
        for w in item.warnings:
            log.warning("%s: %s", entry.rel, w)
    return ([item], []) if isinstance(item, Article) else ([], [item])


def decode(data: bytes, max_replacement_share: float = 1.0) -> tuple[str, str | None]:
    """Text (BOM removed, newlines unified) and a warning if bytes had to be replaced; raises InputError.

    UTF-16/32 with a byte-order mark is decoded; other text is UTF-8. NUL bytes without a BOM mean binary,
    and a text that is mostly replacement characters is not text.
    """
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if encoding in (None, "utf-8-sig") and b"\x00" in data:        # NUL bytes only belong in UTF-16/32
        raise InputError(Errors.E102)
    encoding = encoding or "utf-8"
    try:
        text, warning = data.decode(encoding), None
    except UnicodeDecodeError as e:
        text, warning = data.decode(encoding, errors="replace"), Errors.E110.format(pos=e.start)
        visible = sum(1 for c in text if not c.isspace()) or 1
        share = text.count("\ufffd") / visible
        if share > max_replacement_share:
            raise InputError(Errors.E120.format(share=share, limit=max_replacement_share))
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), warning


def read_sidecar(path: Path, settings: dict, identity: tuple | None = None) -> tuple[dict[str, dict], list[Reject]]:
    """The rows of a folder's metadata.csv by file name (each with its ``_line``), and its problems.

    Problems are rejects named ``metadata.csv`` (the whole file unusable) or warnings kept on the rows.
    """
    limit = settings["max_file_bytes"]
    try:
        data = read_bounded(path, limit, lambda n: Errors.E108.format(size=n, limit=limit), identity)
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        header = [h.strip() for h in next(reader, [])]
        rows = {}
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            row = _sidecar_row(header, fields, reader.line_num)
            rows[row["file"]] = row
    except InputError as e:
        return {}, [Reject(SIDECAR, str(e))]
    except (UnicodeDecodeError, csv.Error) as e:
        return {}, [Reject(SIDECAR, Errors.E112.format(reason=_first_line(e)))]
    if header and "file" not in header:
        return {}, [Reject(SIDECAR, Errors.E112.format(
            reason="no 'file' column; expected file,title,published,source,author,url"))]
    return rows, []


def _sidecar_row(header: list[str], fields: list[str], line: int) -> dict:
    row = {k: (v or "").strip() or None for k, v in zip(header, fields) if k}
    row["_line"] = line
    row["_warnings"] = []
    if len(fields) > len(header):
        row["_warnings"].append(Errors.E124.format(line=line, got=len(fields), expected=len(header)))
    row["file"] = row.get("file") or ""
    return row


# -- front matter ---------------------------------------------------------------------------------

class FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (an impossible date is a warning later, not a crash)."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

if hasattr(yaml, "CSafeLoader"):
    class CFrontMatterLoader(yaml.CSafeLoader):
        """The same loader on libyaml's C parser (several times faster), with the same resolvers: dates as text."""

    CFrontMatterLoader.yaml_implicit_resolvers = FrontMatterLoader.yaml_implicit_resolvers
    FRONT_MATTER_LOADER: type = CFrontMatterLoader
else:                                    # PyYAML built without libyaml: the pure-Python parser
    FRONT_MATTER_LOADER = FrontMatterLoader


def load_front_matter(block: str, settings: dict) -> dict:
    """The mapping of a front-matter block, bounded in size, nesting depth and alias expansion.

    Raises InputError with a coded reason; a billion-laughs block is refused before it is expanded.
    """
    limit = settings["max_front_matter_bytes"]
    if len(block) > limit:
        raise InputError(Errors.E104.format(reason=f"{len(block)} characters, more than "
                                                   f"ingest.max_front_matter_bytes = {limit}"))
    loader = FRONT_MATTER_LOADER(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        check_yaml_node(node, settings["max_nesting_depth"], settings["max_front_matter_nodes"])
        meta = loader.construct_document(node)
    except RecursionError:
        raise InputError(Errors.E104.format(reason=Errors.E121.format(
            depth="too many", limit=settings["max_nesting_depth"])))
    except yaml.YAMLError as e:
        raise InputError(Errors.E104.format(reason=_first_line(e)))
    except (ValueError, TypeError, OverflowError) as e:        # e.g. an explicit !!timestamp out of range
        raise InputError(Errors.E104.format(reason=f"{type(e).__name__}: {_first_line(e)}"))
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        raise InputError(Errors.E104.format(reason=f"got {type(meta).__name__}"))
    return meta


def check_yaml_node(node: yaml.Node, max_depth: int, max_nodes: int) -> None:
    """Refuse a composed YAML tree deeper than ``max_depth`` or larger than ``max_nodes`` once aliases expand.

    Size and height are properties of each node, computed once (iterative post-order) and counted at every use,
    so a shared (aliased) subtree cannot hide its depth or its size.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    open_nodes: set[int] = set()
    while stack:
        current, done = stack.pop()
        key = id(current)
        children = _children(current)
        if done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            if height[key] > max_depth:
                raise InputError(Errors.E104.format(reason=Errors.E121.format(depth=height[key], limit=max_depth)))
            if size[key] > max_nodes:
                raise InputError(Errors.E104.format(reason=Errors.E126.format(limit=max_nodes)))
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise InputError(Errors.E104.format(reason="a recursive alias"))
        open_nodes.add(key)
        stack.append((current, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def parse_text_file(rel: str, text: str, sidecar: dict | None, settings: dict) -> Article | Reject:
    meta: dict = {}
    body = text
    has_meta = False
    if text.startswith("---\n"):
        end = re.search(r"^---\s*$", text[4:], flags=re.M)
        if not end:
            return Reject(rel, Errors.E104.format(reason="no closing '---' line"))
        try:
            meta = load_front_matter(text[4:4 + end.start()], settings)
        except InputError as e:
            return Reject(rel, str(e))
        has_meta = bool(meta)
        body = text[4 + end.end():].lstrip("\n")
    warnings: list[str] = []
    if sidecar:
        warnings += sidecar["_warnings"]
        meta = {**{k: v for k, v in sidecar.items() if k != "file" and not k.startswith("_") and v is not None},
                **meta}
        has_meta = True
    item = make_article(rel, body, meta, settings)
    if isinstance(item, Article):
        item.has_metadata = has_meta
        item.warnings[:0] = warnings
    return item


# -- JSON lines -----------------------------------------------------------------------------------

def parse_jsonl(rel: str, data: bytes, settings: dict) -> tuple[list[Article], list[Reject]]:
    """The articles of a JSONL feed, each line decoded and checked on its own: one bad line costs only itself."""
    articles, rejects = [], []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif any(data.startswith(bom) for bom, enc in BOMS if enc != "utf-8-sig"):    # UTF-16/32: decode it whole
        text, _ = decode(data, settings["max_replacement_share"])
        data = text.encode("utf-8", errors="replace")
    for n, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"{rel}:{n}"
        try:
            line, warning = decode(raw.rstrip(b"\r"), settings["max_replacement_share"])
            item = parse_jsonl_line(where, n, line, settings)
            if isinstance(item, Article) and warning:
                item.warnings.insert(0, warning)
        except InputError as e:
            item = Reject(where, str(e))
        except Exception as e:  # noqa: BLE001 - one line must never stop the file
            item = Reject(where, Errors.E116.format(kind=type(e).__name__, reason=_first_line(e)))
        if isinstance(item, Article):
            for w in item.warnings:
                log.warning("%s: %s", where, w)
        (articles if isinstance(item, Article) else rejects).append(item)
    return articles, rejects


def parse_jsonl_line(where: str, n: int, line: str, settings: dict) -> Article | Reject:
    """One JSONL line as an article; raises InputError for a line that cannot be one."""
    limit = settings["max_file_bytes"]
    if len(line) > 2 * limit:                       # bound the parse; escapes make JSON longer than its text
        raise InputError(Errors.E114.format(size=len(line), limit=limit))
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(Errors.E105.format(line=n, reason=e.msg))
    except RecursionError:
        raise InputError(Errors.E105.format(line=n, reason=Errors.E121.format(
            depth="too many", limit=settings["max_nesting_depth"])))
    if not isinstance(obj, dict):
        raise InputError(Errors.E113.format(line=n, kind=type(obj).__name__))
    depth = json_depth(obj, settings["max_nesting_depth"])
    if depth > settings["max_nesting_depth"]:
        raise InputError(Errors.E105.format(line=n, reason=Errors.E121.format(
            depth=depth, limit=settings["max_nesting_depth"])))
    obj, replaced = replace_surrogates(obj)
    body = obj.pop("text", None)
    if not isinstance(body, str) or not body.strip():
        raise InputError(Errors.E106.format(line=n))
    item = make_article(where, body.replace("\r\n", "\n").replace("\r", "\n"), obj, settings)
    if isinstance(item, Article):
        item.has_metadata = any(v not in (None, "") for v in obj.values())
        if replaced:
            item.warnings.insert(0, Errors.E123)
    return item


def json_depth(obj, stop: int) -> int:
    """Nesting depth of a parsed JSON value (1 for a flat object), counted no further than ``stop + 1``."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        deepest = max(deepest, depth)
        if depth > stop:
            return depth
        stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def replace_surrogates(value):
    """The value with lone surrogates (from escapes like ``\\ud800``) in every string replaced by U+FFFD,
    and whether any was replaced. Text that cannot be encoded as UTF-8 never reaches the tables."""
    if isinstance(value, str):
        fixed = SURROGATE.sub("\ufffd", value)
        return fixed, fixed != value
    if isinstance(value, list):
        pairs = [replace_surrogates(v) for v in value]
        return [v for v, _ in pairs], any(r for _, r in pairs)
    if isinstance(value, dict):
        out, any_r = {}, False
        for k, v in value.items():
            (k2, r1), (v2, r2) = replace_surrogates(k), replace_surrogates(v)
            out[k2] = v2
            any_r = any_r or r1 or r2
        return out, any_r
    return value, False


# -- metadata -------------------------------------------------------------------------------------

def clean_text(value: str, one_line: bool = True) -> str | None:
    """A metadata string with control characters (NUL included) removed, breaks made spaces, trimmed."""
    s = CONTROL.sub("", value)
    if one_line:
        s = re.sub(r"\s+", " ", LINE_BREAKS.sub(" ", s))
    return s.strip() or None


def meta_text(key: str, value) -> tuple[str | None, str | None]:
    """A scalar metadata value as clean text, or None and a warning for a list, mapping or other structure."""
    if value is None or value == "":
        return None, None
    if isinstance(value, (str, int, float, bool, dt.date)):
        return clean_text(value.isoformat() if isinstance(value, dt.date) else str(value)), None
    return None, Errors.E122.format(key=key, kind=_kind(value))


def _kind(value) -> str:
    return {dict: "mapping", list: "list", tuple: "list", set: "set"}.get(type(value), type(value).__name__)


def clean_extra(value, depth: int = 0):
    """Extra metadata made JSON-safe: text keys, clean strings, dates as ISO text."""
    if isinstance(value, dict):
        return {clean_text(str(k)) or "": clean_extra(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [clean_extra(v, depth + 1) for v in value]
    if isinstance(value, str):
        return clean_text(value, one_line=False)
    if isinstance(value, (dt.date, bytes)):
        return value.isoformat() if isinstance(value, dt.date) else value.hex()
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None                                    # NaN and infinities are not JSON
    return value


def make_article(rel: str, body: str, meta: dict, settings: dict) -> Article | Reject:
    if not body.strip():
        return Reject(rel, Errors.E101)
    if len(body) > settings["max_file_bytes"]:       # one JSONL line can hold a whole book
        return Reject(rel, Errors.E114.format(size=len(body), limit=settings["max_file_bytes"]))
    art = Article(path=rel, text=body)
    for key in ("title", "source", "url", "author"):
        value, warning = meta_text(key, meta.get(key))
        setattr(art, key, value)
        if warning:
            art.warnings.append(warning)
    art.extra = clean_extra({k: v for k, v in meta.items() if k not in META_KEYS})
    raw_date = meta.get("published")
    if raw_date not in (None, ""):
        art.published = to_date(raw_date)
        if art.published is not None:
            art.published_source = "metadata"
        elif isinstance(raw_date, (dict, list, tuple, set)):
            art.warnings.append(Errors.E122.format(key="published", kind=_kind(raw_date)))
        else:
            art.warnings.append(Errors.E111.format(key="published", value=clean_text(str(raw_date))))
    if art.title is None and meta.get("title") in (None, ""):     # a title of the wrong type stays empty
        art.title = headline(body, settings["headline_max_words"])
        art.title = clean_text(art.title) if art.title else None
    if art.published is None and settings.get("date_rules") is not None:
        found = dateline_date(body, settings["date_rules"])
        if found:
            art.published, art.published_source = found, "dateline"
    return art


def to_date(value) -> dt.date | None:
    """An ISO date from a metadata value (text, date or datetime); None when it is no valid date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
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


# -- duplicates -----------------------------------------------------------------------------------

def drop_duplicates(articles: list[Article]) -> tuple[list[Article], list[Reject]]:
    """One article per text: the first one with metadata, else the first by path; a reject names both."""
    groups: dict[str, list[Article]] = {}
    for art in articles:
        groups.setdefault(art.doc_id, []).append(art)
    keep = {doc_id: next((a for a in group if a.has_metadata), group[0]) for doc_id, group in groups.items()}
    kept, rejects = [], []
    for art in articles:
        chosen = keep[art.doc_id]
        if art is chosen:
            kept.append(art)
        else:
            why = "it has metadata" if chosen.has_metadata and not art.has_metadata else "it comes first"
            rejects.append(Reject(art.path, Errors.E109.format(other=chosen.path, why=why)))
    return kept, rejects
