"""Build frtrade's reference tables (package data) from DGDDI's label files.

Run from the repository root, with the shared folder beside it::

    python scripts/build_reference.py [--real ../shared/data/real]

It reads the real DGDDI label files (2025 vintage) and writes CSV files to
``src/frtrade/reference/data/``. The CSVs are frtrade's own tables: they
carry DGDDI's codes and labels (Licence Ouverte 2.0, "Source : DGDDI") plus
what DGDDI does not publish and we add by hand below: the DGDDI -> INSEE
région crosswalk, INSEE département codes, short display labels of the A129
positions, the CPF4 -> A129 mapping (NAF rév. 2 / NA 2008 aggregation rules)
and French display names for countries.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from frtrade.labels import read_departement_region_file, read_label_file

OUT = Path(__file__).resolve().parents[1] / "src" / "frtrade" / "reference" / "data"

# DGDDI région code -> (INSEE code, INSEE-style name, ISO 3166-2)
REGIONS = {
    "01": ("32", "Hauts-de-France", "FR-HDF"),
    "03": ("11", "Île-de-France", "FR-IDF"),
    "04": ("24", "Centre-Val de Loire", "FR-CVL"),
    "05": ("28", "Normandie", "FR-NOR"),
    "07": ("53", "Bretagne", "FR-BRE"),
    "08": ("52", "Pays de la Loire", "FR-PDL"),
    "09": ("75", "Nouvelle-Aquitaine", "FR-NAQ"),
    "12": ("76", "Occitanie", "FR-OCC"),
    "13": ("44", "Grand Est", "FR-GES"),
    "16": ("27", "Bourgogne-Franche-Comté", "FR-BFC"),
    "18": ("84", "Auvergne-Rhône-Alpes", "FR-ARA"),
    "21": ("93", "Provence-Alpes-Côte d'Azur", "FR-PAC"),
    "22": ("94", "Corse", "FR-20R"),
    "24": ("", "Départements d'outre-mer", ""),
}

# DGDDI département code -> (INSEE code(s), INSEE région of a DROM, display name)
SPECIAL_DEPARTEMENTS = {
    "20": ("2A 2B", "", "Corse"),
    "21": ("21", "", "Côte-d'Or"),
    "99": ("", "", "Monaco"),
    "9A": ("971", "01", "Guadeloupe"),
    "9B": ("972", "02", "Martinique"),
    "9C": ("973", "03", "Guyane"),
    "9D": ("974", "04", "La Réunion"),
    "9E": ("976", "06", "Mayotte"),
}


def _pairs(text: str) -> dict[str, str]:
    """``"01:5 02:5"`` -> ``{"01": "5", "02": "5"}``."""
    return dict(pair.split(":", 1) for pair in text.split())


# INSEE article type (TNCC) of each name: how French writes "of" before it
# (0 "de", 1 "d'", 2 "du", 3 "de la", 4 "des", 5 "de l'"). Source: INSEE, Code
# officiel géographique 2025, departement_2025.csv and region_2025.csv (TNCC).
TNCC_DEPARTEMENTS = _pairs(  # INSEE département code -> TNCC
    """
01:5 02:5 03:5 04:4 05:4 06:4 07:5 08:4 09:5 10:5 11:5 12:5 13:4 14:2 15:2 16:3
17:3 18:2 19:3 21:3 22:4 23:3 24:3 25:2 26:3 27:5 28:1 29:2 30:2 31:3 32:2 33:3
34:5 35:1 36:5 37:1 38:5 39:2 40:4 41:2 42:3 43:3 44:3 45:2 46:2 47:2 48:3 49:0
50:3 51:3 52:3 53:3 54:0 55:3 56:2 57:3 58:3 59:2 60:5 61:5 62:2 63:2 64:4 65:4
66:4 67:2 68:2 69:2 70:3 71:0 72:3 73:3 74:3 75:0 76:3 77:0 78:4 79:4 80:3 81:2
82:2 83:2 84:2 85:3 86:3 87:3 88:4 89:5 90:2 91:5 92:4 93:3 94:2 95:2 971:3 972:3
973:3 974:0 976:0
"""
)
TNCC_REGIONS = _pairs(  # INSEE région code -> TNCC
    "11:1 24:2 27:0 28:0 32:4 44:2 52:4 53:0 75:3 76:1 84:1 93:0 94:0"
)
# DGDDI's own territories, which the COG does not list: Corse as one
# département reads as the région Corse; Monaco "de Monaco"; the DOM région
# "des Départements d'outre-mer".
TNCC_DGDDI = {"20": "0", "99": "0", "DOM": "4"}

# A129 position -> (short display label, NACE groups/divisions it covers)
A129 = {
    "A01Z": ("Agriculture et élevage", ["01"]),
    "A02Z": ("Produits sylvicoles", ["02"]),
    "A03Z": ("Pêche et aquaculture", ["03"]),
    "B05Z": ("Houille", ["05"]),
    "B06Z": ("Hydrocarbures naturels", ["06"]),
    "B07Z": ("Minerais métalliques", ["07"]),
    "B08Z": ("Autres produits extractifs", ["08"]),
    "C10A": ("Viandes", ["101"]),
    "C10B": ("Produits de la mer", ["102"]),
    "C10C": ("Fruits et légumes transformés", ["103"]),
    "C10D": ("Huiles et graisses", ["104"]),
    "C10E": ("Produits laitiers", ["105"]),
    "C10F": ("Travail des grains", ["106"]),
    "C10G": ("Boulangerie et pâtes", ["107"]),
    "C10H": ("Produits alimentaires divers", ["108"]),
    "C10K": ("Aliments pour animaux", ["109"]),
    "C11Z": ("Boissons", ["11"]),
    "C12Z": ("Tabac", ["12"]),
    "C13Z": ("Textiles", ["13"]),
    "C14Z": ("Habillement", ["14"]),
    "C15Z": ("Cuir et chaussures", ["15"]),
    "C16Z": ("Bois", ["16"]),
    "C17A": ("Papier et carton", ["171"]),
    "C17B": ("Articles en papier", ["172"]),
    "C18Z": ("Imprimés", ["18"]),
    "C19Z": ("Produits pétroliers raffinés", ["19"]),
    "C20A": ("Chimie de base", ["201"]),
    "C20B": ("Parfums et cosmétiques", ["204"]),
    "C20C": ("Produits chimiques divers", ["202", "203", "205", "206"]),
    "C21Z": ("Produits pharmaceutiques", ["21"]),
    "C22A": ("Produits en caoutchouc", ["221"]),
    "C22B": ("Produits en plastique", ["222"]),
    "C23A": ("Verre", ["231"]),
    "C23B": (
        "Matériaux de construction",
        ["232", "233", "234", "235", "236", "237", "239"],
    ),
    "C24A": ("Sidérurgie", ["241", "242", "243"]),
    "C24B": ("Métaux non ferreux", ["244"]),
    "C24C": ("Fonderie", ["245"]),
    "C25A": ("Métal pour la construction", ["251"]),
    "C25B": ("Chaudronnerie", ["252", "253"]),
    "C25C": ("Armes et munitions", ["254"]),
    "C25E": ("Outillage et quincaillerie", ["257", "259"]),
    "C26A": ("Composants électroniques", ["261"]),
    "C26B": ("Ordinateurs", ["262"]),
    "C26C": ("Équipements de communication", ["263"]),
    "C26D": ("Électronique grand public", ["264"]),
    "C26E": ("Instruments de mesure, horlogerie", ["265"]),
    "C26F": ("Équipements électromédicaux", ["266"]),
    "C26G": ("Optique et photographie", ["267", "268"]),
    "C27A": ("Appareils ménagers", ["275"]),
    "C27B": ("Matériel électrique", ["271", "272", "273", "274", "279"]),
    "C28A": ("Machines d'usage général", ["281", "282"]),
    "C28B": ("Machines agricoles", ["283"]),
    "C28C": ("Machines-outils", ["284"]),
    "C28D": ("Machines d'usage spécifique", ["289"]),
    "C29A": ("Automobiles", ["291", "292"]),
    "C29B": ("Équipements automobiles", ["293"]),
    "C30A": ("Navires et bateaux", ["301"]),
    "C30B": ("Matériel ferroviaire", ["302"]),
    "C30C": ("Aéronautique et spatial", ["303"]),
    "C30D": ("Véhicules militaires", ["304"]),
    "C30E": ("Cycles et motocycles", ["309"]),
    "C31Z": ("Meubles", ["31"]),
    "C32A": ("Bijouterie, instruments de musique", ["321", "322"]),
    "C32B": ("Instruments médicaux", ["325"]),
    "C32C": ("Sport, jeux et divers", ["323", "324", "329"]),
    "D35A": ("Électricité", ["351"]),
    "D35B": ("Gaz manufacturé", ["352"]),
    "E37Z": ("Boues et ordures", ["37"]),
    "E38Z": ("Déchets industriels", ["38"]),
    "J58Z": ("Édition, logiciels", ["58"]),
    "J59Z": ("CD et DVD enregistrés", ["59"]),
    "M71Z": ("Plans et dessins techniques", ["71"]),
    "M74Z": ("Films photographiques exposés", ["74"]),
    "R90Z": ("Œuvres d'art", ["90"]),
    "R91Z": ("Antiquités et collections", ["91"]),
    "S96Z": ("Cheveux bruts", ["96"]),
}

# A38 by NACE division (goods positions only), NA 2008.
A38 = [
    ("AZ", 1, 3),
    ("BZ", 5, 9),
    ("CA", 10, 12),
    ("CB", 13, 15),
    ("CC", 16, 18),
    ("CD", 19, 19),
    ("CE", 20, 20),
    ("CF", 21, 21),
    ("CG", 22, 23),
    ("CH", 24, 25),
    ("CI", 26, 26),
    ("CJ", 27, 27),
    ("CK", 28, 28),
    ("CL", 29, 30),
    ("CM", 31, 33),
    ("DZ", 35, 35),
    ("EZ", 36, 39),
    ("JA", 58, 60),
    ("MA", 69, 71),
    ("MC", 73, 75),
    ("RZ", 90, 93),
    ("SZ", 94, 96),
]
A38_LABELS = {
    "AZ": "Agriculture, sylviculture et pêche",
    "BZ": "Industries extractives",
    "CA": "Produits alimentaires, boissons et tabac",
    "CB": "Textiles, habillement, cuir et chaussures",
    "CC": "Bois, papier et imprimerie",
    "CD": "Coke et produits pétroliers raffinés",
    "CE": "Produits chimiques",
    "CF": "Produits pharmaceutiques",
    "CG": "Caoutchouc, plastique et minéraux non métalliques",
    "CH": "Métallurgie et produits métalliques",
    "CI": "Produits informatiques, électroniques et optiques",
    "CJ": "Équipements électriques",
    "CK": "Machines et équipements n.c.a.",
    "CL": "Matériels de transport",
    "CM": "Autres produits manufacturés",
    "DZ": "Électricité et gaz",
    "EZ": "Eau, déchets et dépollution",
    "JA": "Édition, audiovisuel et diffusion",
    "MA": "Activités juridiques, d'architecture et d'ingénierie",
    "MC": "Autres activités spécialisées, scientifiques et techniques",
    "RZ": "Arts, spectacles et activités récréatives",
    "SZ": "Autres activités de services",
}
A17_LABELS = {
    "AZ": "Agriculture, sylviculture et pêche",
    "C1": "Produits alimentaires, boissons et tabac",
    "C2": "Coke et produits pétroliers raffinés",
    "C3": "Équipements électriques, électroniques, informatiques ; machines",
    "C4": "Matériels de transport",
    "C5": "Autres produits industriels",
    "DE": "Industries extractives, énergie, eau, déchets",
    "JZ": "Information et communication",
    "MN": "Activités scientifiques et techniques",
    "RU": "Autres activités de services",
}

# French display names where DGDDI's label reads oddly in a chart.
COUNTRY_DISPLAY = {
    "AE": "Émirats arabes unis",
    "BO": "Bolivie",
    "CD": "République démocratique du Congo",
    "CF": "République centrafricaine",
    "CI": "Côte d'Ivoire",
    "CZ": "Tchéquie",
    "DO": "République dominicaine",
    "EC": "Équateur",
    "EG": "Égypte",
    "ER": "Érythrée",
    "ET": "Éthiopie",
    "FM": "Micronésie",
    "IR": "Iran",
    "KG": "Kirghizistan",
    "KP": "Corée du Nord",
    "KR": "Corée du Sud",
    "LA": "Laos",
    "MD": "Moldavie",
    "MK": "Macédoine du Nord",
    "RU": "Russie",
    "SY": "Syrie",
    "SZ": "Eswatini",
    "TZ": "Tanzanie",
    "US": "États-Unis",
    "VA": "Vatican",
    "VE": "Venezuela",
    "QR": "Avitaillement (intra-UE)",
    "QS": "Avitaillement (pays tiers)",
    "QU": "Pays non déterminés",
}
# ISO 3166-1 alpha-2 where DGDDI's code differs (or is not a country).
COUNTRY_ISO = {"GR": "GR", "XS": "RS", "XK": "XK", "XC": "ES", "XL": "ES"}


def a38_of(division: int) -> str:
    for code, low, high in A38:
        if low <= division <= high:
            return code
    raise ValueError(division)


def a17_of(division: int) -> str:
    a38 = a38_of(division)
    if a38 == "AZ":
        return "AZ"
    if 10 <= division <= 12:
        return "C1"
    if division == 19:
        return "C2"
    if 26 <= division <= 28:
        return "C3"
    if 29 <= division <= 30:
        return "C4"
    if 13 <= division <= 33:
        return "C5"
    if 5 <= division <= 9 or 35 <= division <= 39:
        return "DE"
    if 58 <= division <= 63:
        return "JZ"
    if 69 <= division <= 82:
        return "MN"
    return "RU"


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    path = OUT / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {path.relative_to(OUT.parents[2])}: {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
    parser.add_argument("--real", type=Path, default=default)
    args = parser.parse_args()
    src = args.real / "dgddi_2025_labels_and_doc"
    OUT.mkdir(parents=True, exist_ok=True)

    deps = read_departement_region_file(src / "Departement_region.txt")
    region_dgddi_labels = dict(zip(deps.region_dgddi, deps.region_label, strict=False))
    write(
        "regions.csv",
        ["dgddi_code", "insee_code", "name", "dgddi_label", "iso_3166_2", "tncc"],
        [
            [
                code,
                insee,
                name,
                region_dgddi_labels[code],
                iso,
                TNCC_REGIONS[insee] if insee else TNCC_DGDDI["DOM"],
            ]
            for code, (insee, name, iso) in REGIONS.items()
        ],
    )
    dep_rows = []
    for r in deps.itertuples():
        insee, insee_region, name = SPECIAL_DEPARTEMENTS.get(
            r.departement, (r.departement, "", r.departement_label)
        )
        if not insee_region:
            insee_region = REGIONS[r.region_dgddi][0]
        dep_rows.append(
            [
                r.departement,
                name,
                r.departement_label,
                r.region_dgddi,
                insee,
                insee_region,
                TNCC_DGDDI.get(r.departement) or TNCC_DEPARTEMENTS[insee],
            ]
        )
    dep_rows.sort()
    write(
        "departements.csv",
        [
            "code", "name", "dgddi_label", "region_dgddi", "insee_code",
            "insee_region", "tncc",
        ],
        dep_rows,
    )  # fmt: skip

    a129 = read_label_file(src / "Libelle_A129.txt")
    assert sorted(a129.code) == sorted(A129), "A129 codes differ from the table above"
    rows = []
    for r in a129.sort_values("code").itertuples():
        division = int(r.code[1:3])
        rows.append(
            [
                r.code,
                r.label,
                A129[r.code][0],
                f"{division:02d}",
                a38_of(division),
                a17_of(division),
            ]
        )
    write("a129.csv", ["code", "label", "short_label", "division", "a38", "a17"], rows)
    write("a38.csv", ["code", "label"], [[k, v] for k, v in A38_LABELS.items()])
    write("a17.csv", ["code", "label"], [[k, v] for k, v in A17_LABELS.items()])

    prefix_to_a129 = {p: code for code, (_, prefixes) in A129.items() for p in prefixes}
    cpf4 = read_label_file(src / "Libelle_CPF4_rev2.1.txt")
    rows = []
    for r in cpf4.sort_values("code").itertuples():
        target = prefix_to_a129.get(r.code[:3]) or prefix_to_a129.get(r.code[:2], "")
        rows.append([r.code, r.label, target])
    write("cpf4.csv", ["code", "label", "a129"], rows)
    covered = {row[2] for row in rows if row[2]}
    assert covered == set(A129), set(A129) - covered

    pays = read_label_file(src / "Libelle_PAYS.txt")
    rows = []
    for r in pays.sort_values(["code", "valid_from"]).itertuples():
        still_valid = r.valid_to == 999912
        display = COUNTRY_DISPLAY.get(r.code, r.label) if still_valid else r.label
        iso = COUNTRY_ISO.get(r.code, r.code) if still_valid else ""
        if r.code.startswith("Q") or r.code in {"EU"}:
            iso = ""
        rows.append([r.code, r.label, display, iso, str(r.valid_from), str(r.valid_to)])
    write(
        "countries.csv",
        ["code", "label", "name", "iso_alpha2", "valid_from", "valid_to"],
        rows,
    )


if __name__ == "__main__":
    main()
