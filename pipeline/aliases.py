"""The alias table: canonical entities and their surface forms, loaded and checked once.

Format (configs/aliases.csv, UTF-8, one row per canonical entity)::

    id,name,type,aliases
    bla,Baloch Liberation Army,group,BLA|Balochistan Liberation Army|Baluch Liberation Army

``type`` is group | place | person; ``aliases`` are separated by ``|``. The name is an alias of itself.
An optional ``geonames_id`` column pins a place to its GeoNames entry (else the gazetteer looks its name up).
A line starting with ``#`` is a comment (``aliases suggest`` prints its counts that way).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import Errors, PipelineError
from .schemas import ENTITY_TYPES

COLUMNS = ("id", "name", "type", "aliases")
OPTIONAL = ("geonames_id",)

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "´": "'", "“": '"', "”": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-"})


@lru_cache(maxsize=65536)       # a pure function of the string, asked again for every mention of a name
def norm(text: str) -> str:
    """Normalised key of a name: case, quotes, punctuation, a leading 'the' and a possessive 's removed.

    Idempotent: ``norm(norm(x)) == norm(x)``.
    """
    s = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().strip()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[.']", "", s)
    s = re.sub(r"[^\w]+", " ", s).strip()
    while s.startswith("the "):
        s = s[4:]
    return "" if s == "the" else s


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = field(default=())
    geonames_id: int | None = None

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class AliasTable:
    entries: dict[str, Entry]
    index: dict[str, list[str]]          # norm(surface) -> entry ids (one per type at most)

    def lookup(self, surface: str, type_: str | None = None) -> Entry | None:
        ids = self.index.get(norm(surface), [])
        if type_ is not None:
            typed = [i for i in ids if self.entries[i].type == type_]
            ids = typed or ids
        return self.entries[ids[0]] if ids else None


def load_aliases(path: str | Path) -> AliasTable:
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    # comment lines become blank lines, which the reader skips, so line numbers stay those of the file
    text = "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PipelineError(Errors.E301.format(path=path, missing=", ".join(missing), expected=",".join(COLUMNS)))
    entries: dict[str, Entry] = {}
    index: dict[str, list[str]] = {}
    for row in reader:
        line = reader.line_num
        for col in ("id", "name", "type"):
            if not (row.get(col) or "").strip():
                raise PipelineError(Errors.E305.format(path=path, line=line, column=col))
        eid, name, typ = row["id"].strip(), row["name"].strip(), row["type"].strip()
        if typ not in ENTITY_TYPES:
            raise PipelineError(Errors.E302.format(path=path, line=line, value=typ, expected=" | ".join(ENTITY_TYPES)))
        if eid in entries:
            raise PipelineError(Errors.E306.format(path=path, line=line, value=eid))
        raw = (row.get("aliases") or "").strip()
        aliases = [a.strip() for a in raw.split("|")] if raw else []
        if any(not a or not norm(a) for a in aliases):
            raise PipelineError(Errors.E303.format(path=path, line=line, value=raw))
        gid = (row.get("geonames_id") or "").strip()
        if gid and not gid.isdigit():
            raise PipelineError(Errors.E307.format(path=path, line=line, value=gid))
        entry = Entry(eid, name, typ, tuple(dict.fromkeys(a for a in aliases if a != name)), int(gid) if gid else None)
        entries[eid] = entry
        for surface in entry.surfaces:
            ids = index.setdefault(norm(surface), [])
            if eid in ids:
                continue
            clash = [i for i in ids if entries[i].type == typ]
            if clash:
                raise PipelineError(Errors.E304.format(path=path, line=line, alias=surface,
                                                       first=entries[clash[0]].name, second=name, type=typ))
            ids.append(eid)
    return AliasTable(entries, index)
