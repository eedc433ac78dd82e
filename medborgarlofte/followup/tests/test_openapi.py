"""docs/openapi.yaml: a structural check (openapi-spec-validator is not installed) and a
property-based test that calls every public GET endpoint with generated parameters."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SPEC_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(ref: str):
    assert ref.startswith("#/"), ref
    node = SPEC
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _parameters(operation):
    return [_resolve(p["$ref"]) if "$ref" in p else p for p in operation.get("parameters", [])]


def test_it_is_an_openapi_3_1_document_with_info_and_paths():
    assert SPEC["openapi"].startswith("3.1.")
    assert SPEC["info"]["title"] and SPEC["info"]["version"]
    assert SPEC["paths"]


def test_every_reference_resolves():
    for ref in _refs(SPEC):
        assert isinstance(_resolve(ref), dict), ref


@pytest.mark.parametrize("path", sorted(SPEC["paths"]))
def test_every_operation_declares_its_path_parameters_and_responses(path):
    templated = set(re.findall(r"{(\w+)}", path))
    for method, operation in SPEC["paths"][path].items():
        assert method in METHODS
        assert operation["operationId"] and operation["responses"]
        declared = {p["name"] for p in _parameters(operation) if p["in"] == "path"}
        assert declared == templated, (path, method)
        for p in _parameters(operation):
            assert p["in"] != "path" or p["required"] is True
        for status in operation["responses"]:
            assert re.fullmatch(r"[1-5][0-9][0-9]|default", str(status))


def test_operation_ids_are_unique():
    ids = [op["operationId"] for item in SPEC["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_the_documented_paths_exist_in_the_url_configuration(db):
    from django.urls import resolve

    for path in SPEC["paths"]:
        resolve(path.replace("{code}", "0642").replace("{year}", "2024"))


def _json_schema(operation, status: str):
    response = operation["responses"].get(status)
    if response is None:
        return None
    if "$ref" in response:
        response = _resolve(response["$ref"])
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return _resolve(schema["$ref"]) if schema and "$ref" in schema else schema


codes = st.one_of(
    st.sampled_from(["0642", "0643", "0680", "0000", "9999"]),
    st.text(min_size=0, max_size=8),
)
years = st.one_of(
    st.sampled_from([2024, 2021, 1999]),
    st.integers(min_value=-10, max_value=10**12),
    st.text(min_size=0, max_size=6),
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(sorted(p for p in SPEC["paths"] if "get" in SPEC["paths"][p])),
    code=codes,
    year=years,
)
def test_no_public_get_endpoint_answers_5xx(client, demo, path, code, year):
    url = path.replace("{code}", quote(str(code), safe="")).replace(
        "{year}", quote(str(year), safe="")
    )
    response = client.get(url)
    assert response.status_code < 500, url
    operation = SPEC["paths"][path]["get"]
    schema = _json_schema(operation, str(response.status_code))
    if schema and response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert set(schema.get("required", [])) <= body.keys(), url


def test_the_agreement_api_answers_404_for_year_0(client, db):
    assert client.get("/api/v1/public/agreements/0642/0/").status_code == 404


# --- The period keys of every rhythm (issue 14, item 5) ------------------------------------


def _validator(name: str):
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
    )


def test_the_period_key_schema_is_the_key_pattern_of_periods_py():
    import datetime

    from medborgarlofte.followup import periods

    key = _validator("PeriodKey")
    days = (datetime.date(2021, 6, 15), datetime.date(2022, 3, 1), datetime.date(2022, 11, 30))
    for word in ("tertial", "quarter", "half_year", "year", "dates"):
        rhythm = periods.Rhythm(word, days if word == "dates" else (), 2021, 2022)
        for spec in rhythm.specs():
            assert key.is_valid(spec.key), spec.key
            assert _validator("PeriodBase").is_valid(spec.base), spec.base
    for wrong in ("t4", "q5", "h3", "d0", "year2022", "Q1", "q1-22", ""):
        assert not key.is_valid(wrong), wrong
        assert periods.KEY_RE.match(wrong) is None


def test_a_quarterly_two_year_agreement_answers_the_documented_schema(client, coordinator, police):
    """q1, q1-2022 and year-2022 in the open data and the index, as the schema says."""
    import datetime

    from medborgarlofte.agreements import services as agreement_services
    from medborgarlofte.agreements.importing import import_agreement_document
    from medborgarlofte.followup import services

    path = SPEC_PATH.parents[1] / "examples" / "agreements" / "mullsjo-2024.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["period"] = {"start": "2021-01-01", "end": "2022-12-31"}
    document["follow_up"]["schedule"] = "kvartal"
    version = import_agreement_document(document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, coordinator)
    agreement = version.agreement
    refs = list(version.commitments.values_list("ref", flat=True))
    for key, as_of in (
        ("q1", datetime.date(2021, 3, 31)),
        ("q1-2022", datetime.date(2022, 3, 31)),
        ("year-2022", datetime.date(2022, 12, 31)),
    ):
        followup, _cleared = services.save_followup(
            agreement,
            coordinator,
            key,
            statuses=dict.fromkeys(refs, ("ongoing", "")),
            narratives={},
            summary=f"Uppföljning {key}.",
        )
        services.approve_followup(followup, coordinator, "municipality")
        services.approve_followup(followup, police, "police")
        services.publish_followup(followup, coordinator, as_of=as_of)

    data = client.get("/api/v1/public/followup/0642/2021/").json()
    errors = [str(e) for e in _validator("FollowupOpenData").iter_errors(data)]
    assert errors == []
    periods = [f["period"] for f in data["followups"]]
    assert [(p["key"], p["base"], p["year"]) for p in periods] == [
        ("q1", "q1", 2021),
        ("q1-2022", "q1", 2022),
        ("year-2022", "year", 2022),
    ]
    assert periods[1]["start"] == "2022-01-01" and periods[1]["end"] == "2022-03-31"
    index = client.get("/api/v1/public/followup/").json()
    assert [str(e) for e in _validator("FollowupIndex").iter_errors(index)] == []
    assert {item["period"] for item in index["followups"]} == {"q1", "q1-2022", "year-2022"}
