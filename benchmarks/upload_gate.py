"""What the upload gate (medborgarlofte/privacy/uploads.py) costs, and how fast it refuses.

    .venv/bin/python -m benchmarks.upload_gate [--rows 50000] [--repeat 3]

Builds in memory, without a database:

1. a valid XLSX workbook of --rows rows × 6 columns (the tidy crime statistics shape);
2. the same table as CSV;
3. the 200 MB zip bomb and the billion-laughs workbook of the tests.

and prints, as the median of --repeat runs: check_upload alone (the ZIP checks stream
and inflate every part once) against openpyxl reading the sheet, the full gated read
(check_upload + xlsx_rows) against openpyxl alone, the same for CSV, and the time to
refuse the hostile files. Nothing is asserted; the figures go into docs/security.md.
"""

import argparse
import csv
import io
import statistics
import time

from benchmarks import harness


def _setup():
    harness.setup_django(migrate=False, MEDBORGARLOFTE_TESTING="1")


def _table(rows: int) -> list[list]:
    header = ["kommunkod", "brottskategori", "period", "antal", "status", "kommentar"]
    body = [
        [f"{600 + i % 290:04d}", f"Kategori {i % 61}", f"20{10 + i % 15}-{1 + i % 12:02d}",
         i % 997, "slutlig" if i % 3 else "prel", f"rad {i}"]
        for i in range(rows)
    ]  # fmt: skip
    return [header, *body]


def _xlsx(table) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(table) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(table)
    return out.getvalue().encode()


def _median(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _openpyxl_only(data: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def _refusal_ms(data: bytes, name: str, kinds, repeat: int) -> tuple[float, str]:
    from medborgarlofte.privacy.uploads import UploadRefused, check_upload, web_limits

    message = ""

    def run():
        nonlocal message
        try:
            check_upload(data, name, kinds=kinds, limits=web_limits())
        except UploadRefused as exc:
            message = exc.message
        else:
            raise SystemExit(f"{name} was not refused")

    return _median(run, repeat) * 1000, message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    from medborgarlofte.privacy.tests import hostile
    from medborgarlofte.privacy.uploads import (
        TABLE_KINDS,
        check_upload,
        command_limits,
        csv_rows,
        xlsx_rows,
    )

    limits = command_limits()
    table = _table(args.rows)
    xlsx, text = _xlsx(table), _csv(table)
    with io.BytesIO(xlsx) as handle:
        import zipfile

        unpacked = sum(i.file_size for i in zipfile.ZipFile(handle).infolist())
    r = args.repeat
    gate_xlsx = _median(lambda: check_upload(xlsx, "t.xlsx", kinds=TABLE_KINDS, limits=limits), r)
    plain_xlsx = _median(lambda: _openpyxl_only(xlsx), r)
    gated_xlsx = _median(
        lambda: (
            check_upload(xlsx, "t.xlsx", kinds=TABLE_KINDS, limits=limits),
            xlsx_rows(xlsx, "t.xlsx", limits=limits),
        ),
        r,
    )
    gate_csv = _median(lambda: check_upload(text, "t.csv", kinds=TABLE_KINDS, limits=limits), r)
    plain_csv = _median(lambda: list(csv.reader(io.StringIO(text.decode()), delimiter=";")), r)
    gated_csv = _median(
        lambda: (
            check_upload(text, "t.csv", kinds=TABLE_KINDS, limits=limits),
            csv_rows(csv.reader(io.StringIO(text.decode()), delimiter=";"), "t.csv", limits=limits),
        ),
        r,
    )
    bomb = hostile.zip_bomb()
    bomb_ms, bomb_message = _refusal_ms(bomb, "bomb.xlsx", TABLE_KINDS, r)
    laughs_ms, laughs_message = _refusal_ms(
        hostile.entity_workbook(hostile.LAUGHS), "laughs.xlsx", TABLE_KINDS, r
    )
    exe_ms, exe_message = _refusal_ms(hostile.EXE * 10_000, "program.csv", TABLE_KINDS, r)

    print(f"machine: {harness.machine()}")
    print(f"table: {args.rows:,} rows × 6 columns; XLSX {len(xlsx):,} bytes "
          f"(unpacks to {unpacked:,}), CSV {len(text):,} bytes; median of {r}")  # fmt: skip
    print(f"XLSX  gate alone {gate_xlsx * 1000:8.1f} ms   openpyxl alone {plain_xlsx * 1000:8.1f} ms"
          f"   gate + limited read {gated_xlsx * 1000:8.1f} ms"
          f"   overhead {100 * (gated_xlsx / plain_xlsx - 1):+.0f} %")  # fmt: skip
    print(f"CSV   gate alone {gate_csv * 1000:8.1f} ms   csv module alone {plain_csv * 1000:6.1f} ms"
          f"   gate + limited read {gated_csv * 1000:8.1f} ms"
          f"   overhead {100 * (gated_csv / plain_csv - 1):+.0f} %")  # fmt: skip
    print(f"zip bomb ({len(bomb):,} bytes → 200 MiB) refused in {bomb_ms:.2f} ms: {bomb_message}")
    print(f"billion laughs refused in {laughs_ms:.2f} ms: {laughs_message}")
    print(f"renamed program refused in {exe_ms:.2f} ms: {exe_message}")


if __name__ == "__main__":
    main()
