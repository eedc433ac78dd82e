import subprocess

import pytest

from medborgarlofte.reports.pdf import render_pdf_from_html


def test_it_renders_swedish_text_with_page_numbers(tmp_path):
    html = (
        '<html><head><link rel="stylesheet" href="static:///css/pdf.css"></head>'
        "<body><h1>Lägesbild Mullsjö</h1><p>Trygghet i centrum, åtgärder för ökad trygghet.</p></body></html>"
    )
    pdf = render_pdf_from_html(html)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Lägesbild Mullsjö" in text
    assert "1/1" in text.replace(" ", "")  # the page counter from pdf.css


def test_it_fetches_nothing_from_the_network():
    with pytest.raises(ValueError, match="external"):
        from medborgarlofte.reports.pdf import _static_fetcher

        _static_fetcher().fetch("https://example.com/x.css")
