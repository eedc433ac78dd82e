"""Indicator sources chosen, not typed (issue 14, item 7): two selects from the lists the
product holds, and a preview of the current value before saving."""

import datetime

from django.urls import reverse

from medborgarlofte.agreements.forms import IndicatorForm
from medborgarlofte.followup.forms import IndicatorSourceForm
from medborgarlofte.followup.models import IndicatorSourceMapping
from medborgarlofte.incidents.models import DEFAULT_CATEGORIES, IncidentCategory

URL = ["0642", 2024, "m24-09", 0]


def _options(form):
    return [
        value
        for _group, options in form.fields["source_detail"].choices[1:]
        for value, _l in options
    ]


def _categories(kommun):
    for position, (key, name) in enumerate(DEFAULT_CATEGORIES):
        IncidentCategory.objects.get_or_create(
            municipality=kommun, key=key, defaults={"name": name, "position": position}
        )


def test_the_lists_offer_crime_categories_incident_categories_and_meeting_types(mullsjo):
    _categories(mullsjo)
    form = IndicatorSourceForm(municipality=mullsjo)
    options = _options(form)
    assert "incidents:klotter" in options
    assert "meetings:weekly_lagesbild" in options
    assert "activities:" in options
    assert any(o.startswith("crime_statistics:") for o in options)


def test_it_composes_the_source_and_refuses_a_detail_of_another_kind(mullsjo):
    _categories(mullsjo)
    form = IndicatorSourceForm(
        {"source_kind": "incidents", "source_detail": "incidents:klotter"}, municipality=mullsjo
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["source"] == "incidents:klotter"
    wrong = IndicatorSourceForm(
        {"source_kind": "survey", "source_detail": "incidents:klotter"}, municipality=mullsjo
    )
    assert not wrong.is_valid() and "source_detail" in wrong.errors
    empty = IndicatorSourceForm({"source_kind": "", "source_detail": ""}, municipality=mullsjo)
    assert empty.is_valid() and empty.cleaned_data["source"] == ""


def test_a_category_is_required_for_crime_statistics(mullsjo):
    form = IndicatorSourceForm(
        {"source_kind": "crime_statistics", "source_detail": ""}, municipality=mullsjo
    )
    assert not form.is_valid()


def test_the_agreement_form_keeps_the_exchange_rule(mullsjo):
    _categories(mullsjo)
    base = {"title": "Klotter", "kind": "effect", "unit": "st", "direction": "decrease"}
    form = IndicatorForm(
        {**base, "source_kind": "incidents", "source_detail": "incidents:klotter"},
        municipality=mullsjo,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["source"] == "incidents:klotter"
    assert "source_kind" not in form.cleaned_data  # the services get model fields only
    # activities are follow-up's own: not a source the exchange format knows
    assert "activities" not in dict(form.fields["source_kind"].choices)


def test_preview_shows_the_value_and_saves_nothing(client, published, coordinator, mullsjo):
    _categories(mullsjo)
    from medborgarlofte.followup import services

    services.log_activity(
        published,
        coordinator,
        commitment_ref="m24-09",
        date=datetime.date(2024, 3, 7),
        party_kind="police",
        title="Hundsök",
        quantity=2,
        unit="hundsök",
    )
    client.force_login(coordinator)
    url = reverse("followup:set-indicator-source", args=URL)
    data = {"source_kind": "activities", "source_detail": "activities:"}
    response = client.post(url, {**data, "preview": "1"})
    assert response.status_code == 200
    assert response.context["preview"]["value"] == 2
    assert response.context["preview"]["date"] is not None
    assert not IndicatorSourceMapping.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    assert IndicatorSourceMapping.objects.get().source == "activities:"
    page = client.get(reverse("followup:indicator", args=URL))
    assert page.context["source_form"].initial["source_kind"] == "activities"


def test_the_agreement_editor_adds_an_indicator_with_a_chosen_source(
    client, coordinator, mullsjo_document
):
    from medborgarlofte.agreements.importing import import_agreement_document

    version = import_agreement_document(mullsjo_document, user=coordinator).version
    commitment = version.commitments.get(ref="m24-09")
    client.force_login(coordinator)
    response = client.post(
        reverse(
            "agreements:add-indicator", args=[version.agreement_id, version.number, commitment.pk]
        ),
        {
            f"i{commitment.pk}-title": "Anmälda narkotikabrott",
            f"i{commitment.pk}-kind": "effect",
            f"i{commitment.pk}-direction": "decrease",
            f"i{commitment.pk}-source_kind": "meetings",
            f"i{commitment.pk}-source_detail": "meetings:weekly_lagesbild",
        },
    )
    assert response.status_code == 302, response.content[:300]
    assert commitment.indicators.get(title="Anmälda narkotikabrott").source == (
        "meetings:weekly_lagesbild"
    )
