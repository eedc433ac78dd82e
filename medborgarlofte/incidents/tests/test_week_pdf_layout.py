"""The weekly EST PDF reads well (issue 18): pdftotext finds no nearly empty page but
the last, and both maps carry a title."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _pages(body: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "week.pdf"
    path.write_bytes(body)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [[line for line in page.splitlines() if line.strip()] for page in pages]


@pytest.mark.django_db
def test_the_weekly_pdf_has_no_nearly_empty_page_and_titled_maps(client, tmp_path):
    from medborgarlofte.accounts.models import User
    from medborgarlofte.demo.loader import load_demo

    load_demo("lösenord-för-demo-4417")
    client.force_login(User.objects.get(username="samordnare"))
    year, week, _day = timezone.localdate().isocalendar()
    response = client.get(reverse("incidents:week-pdf", args=["0642", year, week]))
    assert response.status_code == 200
    pages = _pages(response.content, tmp_path)
    assert all(len(page) >= 5 for page in pages[:-1]), [len(page) for page in pages]
    text = "\n".join(line for page in pages for line in page)
    # both maps carry a visible label, and the close-up its own title (for screen readers)
    assert "Hela kommunen" in text and "Närbild av området med händelser" in text
    page = client.get(reverse("incidents:week", args=["0642", year, week])).content.decode()
    titles = re.findall(r"<svg[^>]*class=\"kommun-map\"[^>]*>\s*<title>(.*?)</title>", page)
    assert len(titles) == 2 and titles[1].endswith("Närbild av området med händelser")
    assert titles[0] != titles[1]
