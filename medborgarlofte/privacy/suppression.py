"""Small-cell suppression for public outputs.

A count between 1 and threshold − 1 is not shown (None); zero and counts at or above
the threshold are. When exactly one cell of a table is suppressed and the total is
shown, the suppressed cell could be computed back from the total, so the next-smallest
non-zero cell is suppressed as well (complementary suppression).

    suppress({"klotter": 7, "brand": 2, "inbrott": 9})
    {"klotter": None, "brand": None, "inbrott": 9}   # brand primary, klotter complementary
"""

DEFAULT_THRESHOLD = 5


def is_small(value: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return 0 < value < threshold


def suppress(counts: dict, threshold: int = DEFAULT_THRESHOLD, *, complementary: bool = True):
    """Return a copy of counts with small cells replaced by None."""
    result = {key: (None if is_small(value, threshold) else value) for key, value in counts.items()}
    hidden = [key for key, value in result.items() if value is None]
    if complementary and len(hidden) == 1:
        candidates = sorted(
            (value, str(key), key)
            for key, value in result.items()
            if value is not None and value > 0
        )
        if candidates:
            result[candidates[0][2]] = None
    return result


def suppress_total(total: int, threshold: int = DEFAULT_THRESHOLD):
    """A total is shown only when it is not itself a small cell."""
    return None if is_small(total, threshold) else total


def suppress_table(rows: list[dict], column: str, threshold: int = DEFAULT_THRESHOLD) -> list[dict]:
    """Suppress one numeric column of a list of rows (keeps the other columns)."""
    counts = suppress({index: row[column] for index, row in enumerate(rows)}, threshold)
    return [{**row, column: counts[index]} for index, row in enumerate(rows)]
