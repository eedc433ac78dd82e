"""Accessible documents (issue 16): every PDF the product makes is tagged (a structure
tree), says its language (sv-SE) and has a title."""

import re
import zlib

from medborgarlofte.reports.pdf import render_pdf_from_html


def pdf_facts(data: bytes) -> str:
    """The PDF's objects as text, compressed streams inflated (the catalogue may sit in an
    object stream)."""
    parts = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


def assert_tagged_swedish(data: bytes) -> None:
    assert data.startswith(b"%PDF")
    facts = pdf_facts(data)
    assert "/StructTreeRoot" in facts
    assert re.search(r"/Lang\s*\(sv-SE\)", facts), "no /Lang (sv-SE)"
    assert "/MarkInfo" in facts


def test_a_rendered_document_is_tagged_and_swedish():
    html = (
        '<!doctype html><html lang="sv-SE"><head><meta charset="utf-8"><title>Prov</title>'
        "</head><body><h1>Rubrik</h1><p>Text.</p></body></html>"
    )
    assert_tagged_swedish(render_pdf_from_html(html))
