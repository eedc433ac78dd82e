"""Every PDF the demo produces (follow-up report, weekly and tertial EST lägesbild, joint
lägesbild and its frozen version, council report, åtgärdsplan) is tagged and Swedish: a
structure tree and /Lang (sv-SE) (issue 16, accessible documents).

Each PDF address is checked as the first role that may open it (the police see the most;
anonymous visitors the public report): one template and one pipeline serve every role."""

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
        for name in sorted(PDF_NAMES - checked):
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
