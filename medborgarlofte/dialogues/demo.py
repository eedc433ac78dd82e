"""Example dialogue entries for Mullsjö from November 2023, all labelled "Example data".

Invented texts (data/demo_entries.csv): the medborgardialog of 7 November, the
medarbetardialog of 9 November and the public form during the month.
"""

import csv
import datetime
from pathlib import Path

from medborgarlofte.importing.files import sha256_of
from medborgarlofte.kommuner.models import Municipality

from .importing import Mapping, Row, import_rows

DEMO_FILE = Path(__file__).parent / "data" / "demo_entries.csv"


def load_dialogues_demo(user=None, code: str = "0642") -> int:
    municipality = Municipality.objects.get(code=code)
    content = DEMO_FILE.read_bytes()
    by_source: dict[str, list[Row]] = {}
    reader = csv.DictReader(content.decode("utf-8").splitlines())
    for line, item in enumerate(reader, start=2):
        by_source.setdefault(item["source"], []).append(
            Row(
                line=line,
                date=datetime.date.fromisoformat(item["date"]),
                text=item["text"],
                area=item["area"],
                channel=item["channel"],
            )
        )
    created = 0
    for source, rows in by_source.items():
        result = import_rows(
            municipality,
            user,
            name=DEMO_FILE.name,
            sha256=sha256_of(content),
            rows=rows,
            mapping=Mapping(text=0, source=source),
            is_example=True,
        )
        created += result.created
    return created
