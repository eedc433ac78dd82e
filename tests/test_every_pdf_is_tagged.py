"""Every PDF the demo produces (follow-up report, weekly and tertial EST lägesbild, joint
lägesbild and its frozen version) is tagged and Swedish: a structure tree and
/Lang (sv-SE) (issue 16, accessible documents)."""

import pytest
from django.urls import reverse

from medborgarlofte.reports.tests.test_tagged_pdf import assert_tagged_swedish
from tests.police_only_pages import ARGS
from tests.screen_pages import client_for, demo_world
from tests.xss_pages import PDF_NAMES

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_every_generated_pdf_is_tagged(settings, tmp_path):
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    world = demo_world()
    checked = set()
    for role in ("police", "coordinator", "anonymous"):
        client = client_for(world, role)
        for name in sorted(PDF_NAMES):
            for args in ARGS[name](world):
                response = client.get(reverse(name, args=args))
                if response.status_code != 200:
                    continue
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                assert_tagged_swedish(body)
                checked.add(name)
    assert checked == PDF_NAMES, sorted(PDF_NAMES - checked)
