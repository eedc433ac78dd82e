"""The tenant isolation guard: an unscoped query on a tenant table raises in tests."""

import logging

import pytest
from django.apps import apps
from django.db.models import Q
from django.http import HttpResponse
from django.test import RequestFactory

from medborgarlofte.accounts import tenancy
from medborgarlofte.accounts.middleware import TenantGuardMiddleware
from medborgarlofte.accounts.models import Membership
from medborgarlofte.accounts.tenancy import UnscopedTenantQuery, across_kommuner, guarded
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Agreement, AgreementVersion, Commitment, Section
from medborgarlofte.kommuner.models import Municipality, Population

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_version(coordinator, mullsjo_document):
    return import_agreement_document(mullsjo_document, user=coordinator).version


def test_every_model_keyed_by_kommun_is_guarded_unless_it_is_public_reference_data():
    keyed = {
        model._meta.label
        for model in apps.get_models()
        if any(
            f.name == "municipality" and f.related_model is Municipality
            for f in model._meta.concrete_fields
        )
    }
    assert keyed - tenancy.REFERENCE_MODELS == set(tenancy._tenant_labels())
    assert {"agreements.Agreement", "lagesbild.IntelligenceSummary", "incidents.Report"} <= keyed
    assert keyed >= tenancy.REFERENCE_MODELS  # no stale names in the exception list


@pytest.mark.parametrize(
    "make_query",
    [
        lambda kommun, version: list(Agreement.objects.all()),
        lambda kommun, version: Agreement.objects.count(),
        lambda kommun, version: Agreement.objects.filter(pk=version.agreement_id).first(),
        lambda kommun, version: AgreementVersion.objects.get(pk=version.pk),
        lambda kommun, version: list(Agreement.objects.exclude(municipality=kommun)),
        lambda kommun, version: list(
            Agreement.objects.filter(Q(municipality=kommun) | Q(pk__gt=0))
        ),
        lambda kommun, version: list(Section.objects.filter(heading__icontains="a")),
        lambda kommun, version: Commitment.objects.values("level").distinct().count(),
    ],
    ids=["all", "count", "by-pk", "get-by-pk", "exclude", "or-branch", "by-text", "aggregate"],
)
def test_an_unscoped_query_raises(draft_version, make_query):
    kommun = draft_version.municipality
    with guarded(), pytest.raises(UnscopedTenantQuery, match="tenant model"):
        make_query(kommun, draft_version)


@pytest.mark.parametrize(
    "make_query",
    [
        lambda kommun, version, user: list(Agreement.objects.filter(municipality=kommun)),
        lambda kommun, version, user: list(
            AgreementVersion.objects.filter(municipality__code=kommun.code)
        ),
        lambda kommun, version, user: list(
            Agreement.objects.filter(municipality__in=Municipality.objects.filter(pk=kommun.pk))
        ),
        lambda kommun, version, user: list(version.sections.all()),  # a parent row
        lambda kommun, version, user: list(
            Commitment.objects.filter(version=version).prefetch_related("indicators")
        ),
        lambda kommun, version, user: list(Membership.objects.filter(user=user)),  # own rows
        lambda kommun, version, user: version.agreement.period_start,  # following a foreign key
        lambda kommun, version, user: version.refresh_from_db(),
        lambda kommun, version, user: list(
            across_kommuner(AgreementVersion.objects.all(), "a test of the escape hatch")
        ),
        lambda kommun, version, user: Population.objects.count(),  # public reference data
        lambda kommun, version, user: list(Agreement.objects.none()),
    ],
    ids=[
        "kommun",
        "kommun-code",
        "kommun-subquery",
        "parent",
        "parent-prefetch",
        "own-user",
        "foreign-key",
        "refresh",
        "across-kommuner",
        "reference",
        "none",
    ],
)
def test_a_scoped_query_runs(draft_version, coordinator, make_query):
    fresh = AgreementVersion.objects.get(pk=draft_version.pk)  # not guarded: test code
    with guarded():
        make_query(fresh.municipality, fresh, coordinator)


def test_code_outside_a_request_is_not_checked(draft_version):
    assert Agreement.objects.count() == 1  # commands and system jobs read across kommuner


def test_across_kommuner_needs_a_reason():
    with pytest.raises(ValueError):
        across_kommuner(Agreement.objects.all(), "")


def test_the_middleware_checks_every_query_of_a_request(rf: RequestFactory, draft_version):
    def leaky_view(request):
        return HttpResponse(str(Agreement.objects.count()))

    def scoped_view(request):
        count = Agreement.objects.filter(municipality=draft_version.municipality).count()
        return HttpResponse(str(count))

    with pytest.raises(UnscopedTenantQuery):
        TenantGuardMiddleware(leaky_view)(rf.get("/"))
    assert TenantGuardMiddleware(scoped_view)(rf.get("/")).content == b"1"


def test_production_logs_instead_of_raising(settings, draft_version, caplog):
    settings.TENANT_GUARD = "log"
    with guarded(), caplog.at_level(logging.ERROR, logger="medborgarlofte.accounts.tenancy"):
        assert Agreement.objects.count() == 1
    assert "Unscoped query on the tenant model agreements.Agreement" in caplog.text
    assert "test_tenancy.py" in caplog.text  # names the line that made the query


def test_off_checks_nothing(settings, draft_version, caplog):
    settings.TENANT_GUARD = "off"
    with guarded(), caplog.at_level(logging.ERROR):
        assert Agreement.objects.count() == 1
    assert caplog.text == ""


def test_the_test_suite_runs_with_the_guard_raising(settings):
    assert settings.TENANT_GUARD == "raise"


def test_the_admin_view_on_site_shortcut_is_closed(client, draft_version):
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from conftest import make_user

    admin = make_user("driftansvarig", is_staff=True, is_superuser=True)
    client.force_login(admin)
    content_type = ContentType.objects.get_for_model(AgreementVersion)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, draft_version.pk]))
    assert response.status_code == 404
