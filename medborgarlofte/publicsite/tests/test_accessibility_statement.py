from django.urls import reverse


def test_it_publishes_an_accessibility_statement_linked_from_every_page(client, db):
    page = client.get(reverse("publicsite:accessibility"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "digg.se" in html
    home = client.get(reverse("publicsite:home")).content.decode()
    assert reverse("publicsite:accessibility") in home
