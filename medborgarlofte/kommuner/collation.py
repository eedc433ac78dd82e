"""Swedish alphabetical order: a–z, then å, ä, ö (and é sorts as e, ü as y)."""

_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
_FOLD = {"é": "e", "è": "e", "á": "a", "à": "a", "ü": "y", "æ": "ä", "ø": "ö", "w": "w"}
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def swedish_sort_key(text: str) -> tuple:
    """A sort key that orders strings as a Swedish dictionary does.

    Letters outside the alphabet (digits, spaces, hyphens) sort before letters, in
    code-point order; ties are broken by the original string so sorting is stable.
    """
    key = []
    for ch in text.lower():
        ch = _FOLD.get(ch, ch)
        if ch in _RANK:
            key.append((1, _RANK[ch]))
        else:
            key.append((0, ord(ch)))
    return (tuple(key), text)


def sorted_swedish(items, key=lambda item: str(item)):
    return sorted(items, key=lambda item: swedish_sort_key(key(item)))
