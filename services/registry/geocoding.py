"""Where a structure is: its commune's centre, from the commune centres the registry ships (`data/communes.csv`).

The file (built by `data/build_communes.py` from the Code officiel géographique of Etalab's
`@etalab/decoupage-administratif`, Licence Ouverte 2.0, and GeoNames coordinates, CC BY 4.0) has every
current commune of France with a point and how precise it is, plus the communes déléguées and associées
and the arrondissements of Paris, Lyon and Marseille. Pure lookups: no Flask, no Mongo, no network.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "communes.csv"
# Which row wins when one name is several things in a department: the current commune first.
KIND_ORDER = {"c": 0, "m": 1, "d": 2, "a": 3}
_ABBREVIATIONS = [(re.compile(r"\bste\b"), "sainte"), (re.compile(r"\bst\b"), "saint")]


@dataclass(frozen=True)
class Commune:
    code: str
    kind: str  # c: current commune, d: déléguée, a: associée, m: arrondissement municipal
    name: str
    department: str
    postal_codes: tuple[str, ...]
    parent: str
    lat: float
    lon: float
    precision: str

    @property
    def insee_code(self) -> str:
        """The current commune's code (a commune déléguée's is its commune nouvelle's)."""
        return self.code if self.kind == "c" or not self.parent else self.parent


@dataclass(frozen=True)
class Located:
    insee_code: str
    lat: float
    lon: float
    precision: str  # commune, commune_deleguee, code_postal, arrondissement, departement


def commune_key(name: str) -> str:
    """A commune's name as people type it: no accents, case, spaces, hyphens or apostrophes; St = Saint."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for pattern, full in _ABBREVIATIONS:
        text = pattern.sub(full, text)
    return re.sub(r"[^a-z0-9]+", "", text)


class Gazetteer:
    def __init__(self, rows):
        self.by_code: dict[str, Commune] = {}
        self.by_name: dict[tuple[str, str], list[Commune]] = {}
        self.by_postal_code: dict[str, list[Commune]] = {}
        self.names_of: dict[str, list[tuple[str, Commune]]] = {}
        for c in sorted(rows, key=lambda c: KIND_ORDER[c.kind]):
            self.by_code.setdefault(c.code, c)
            self.by_name.setdefault((c.department, commune_key(c.name)), []).append(c)
            self.names_of.setdefault(c.department, []).append((commune_key(c.name), c))
            for postal_code in c.postal_codes:
                self.by_postal_code.setdefault(postal_code, []).append(c)

    def locate(self, *, insee_code: str | None = None, city: str | None = None, department: str | None = None,
               postal_code: str | None = None) -> Located | None:
        """The commune of a structure: by INSEE code, else by name in its department (a postal code breaks ties;
        "Nantes Nord" is Nantes; "Bonchamp" is Bonchamp-lès-Laval, the one commune whose name starts so), else by
        postal code when it has one commune."""
        commune = self.by_code.get(insee_code) if insee_code else None
        if commune is None and city and department:
            commune = self._by_name(city, department, postal_code)
        if commune is None and postal_code:
            current = [c for c in self.by_postal_code.get(postal_code, []) if c.kind == "c"]
            commune = current[0] if len(current) == 1 else None
        if commune is None:
            return None
        return Located(commune.insee_code, commune.lat, commune.lon, commune.precision)

    def _by_name(self, city: str, department: str, postal_code: str | None) -> Commune | None:
        words = city.split()
        # Whole name first, then without its trailing words (a district, "Nord", "centre-ville").
        for end in range(len(words), 0, -1):
            found = self.by_name.get((department, commune_key(" ".join(words[:end]))))
            if found:
                if postal_code:
                    return next((c for c in found if postal_code in c.postal_codes), found[0])
                return found[0]
        return self._by_start(commune_key(city), department)

    def _by_start(self, key: str, department: str) -> Commune | None:
        if len(key) < 5:
            return None
        found = {c.insee_code: c for name, c in self.names_of.get(department, []) if name.startswith(key)}
        return next(iter(found.values())) if len(found) == 1 else None


def _read(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            yield Commune(code=row["code"], kind=row["kind"], name=row["name"], department=row["department"],
                          postal_codes=tuple(row["postal_codes"].split()), parent=row["parent"],
                          lat=float(row["lat"]), lon=float(row["lon"]), precision=row["precision"])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(_read(DATA))


def locate(**where) -> Located | None:
    return gazetteer().locate(**where)
