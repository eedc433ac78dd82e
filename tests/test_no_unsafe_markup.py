"""No template or Python module switches off Django's escaping, except where the allowlist
says why the markup is ours (issue 7, item 5).

Fails on a new `|safe`, `|safeseq`, `{% autoescape off %}` or `{% filter … safe %}` in a
template, and on a new `mark_safe`, `SafeString`, `SafeText`, `format_html(_join)`,
`html_safe` or `__html__` in the package (tests and migrations aside), until the use is
added to ALLOWED with the reason it cannot carry user text unescaped. An allowlist entry
that no longer matches fails too, so the list stays true. The JavaScript of our own
(vendored libraries aside) writes no HTML from strings, and no template engine runs
with autoescape off.
"""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "medborgarlofte"

TEMPLATE_UNSAFE = re.compile(
    r"\{\{[^}]*\|\s*safe(?:seq)?\b[^}]*\}\}|\{%\s*autoescape\s+off\s*%\}|\{%\s*filter\b[^%]*\bsafe\b[^%]*%\}"
)
PYTHON_UNSAFE = re.compile(
    r"\b(mark_safe|SafeString|SafeText|SafeData|format_html|format_html_join|html_safe|__html__)\b"
)
JS_SINKS = re.compile(
    r"\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval|Function)\s*[=(]"
)
VENDORED_JS = {"htmx.min.js"}

# (file relative to the package, the template expression or the stripped Python line): why
ALLOWED = {
    ("templates/crimestats/_chart.html", "{{ chart.svg|safe }}"): (
        "SVG drawn by reports.charts: matplotlib escapes every label (&, <, >), the title and "
        "description pass html.escape; test_xss_escaping.test_chart_labels_are_drawn_as_written"
    ),
    ("templates/incidents/_week_body.html", "{{ picture.map_svg|safe }}"): (
        "SVG built by reports.maps.kommun_map from numbers; the title and every point or cell "
        "label pass django.utils.html.escape (place-name payloads in the XSS sweep)"
    ),
    ("templates/incidents/_week_body.html", "{{ picture.focus_map_svg|safe }}"): (
        "the same map, zoomed: reports.maps.kommun_map(focus=True)"
    ),
    ("templates/accounts/two_factor_setup.html", "{{ qr_svg|safe }}"): (
        "QR code from segno: rectangles only, no text (the provisioning URI is in the pixels)"
    ),
    ("followup/charts.py", "from django.utils.safestring import mark_safe"): "the import",
    (
        "followup/charts.py",
        'return {"svg": mark_safe(chart.svg), "headers": chart.headers, "rows": chart.rows}',
    ): "reports.charts SVG: labels escaped (see _chart.html above)",
    ("followup/charts.py", '"svg": mark_safe(_fallback_svg(points, title)),'): (
        "the fallback SVG holds numbers and html.escape(title) only"
    ),
    (
        "reports/maps.py",
        '"""An inline SVG (safe to mark_safe: every text is escaped). With focus=True the map',
    ): "a docstring",
    ("incidents/views.py", "from django.utils.safestring import mark_safe"): "the import",
    ("incidents/views.py", "return mark_safe("): (
        "the EST form's tap map: SVG built by reports.maps.picker_map from numbers; the "
        "title and the place names are escaped there"
    ),
    ("reports/charts.py", "def __html__(self) -> str:"): (
        "Chart renders as its SVG: escaped labels (see _chart.html above)"
    ),
}


def _template_uses() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("templates/**/*"):
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"}:
            text = path.read_text(encoding="utf-8")
            for match in TEMPLATE_UNSAFE.finditer(text):
                found.add((str(path.relative_to(PACKAGE)), match.group(0)))
    return found


def _python_uses() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if PYTHON_UNSAFE.search(line):
                found.add((str(path.relative_to(PACKAGE)), line.strip()))
    return found


def test_no_escaping_is_switched_off_outside_the_allowlist():
    found = _template_uses() | _python_uses()
    assert found - ALLOWED.keys() == set(), (
        "escaping switched off: escape the user data (format_html, escape, json_script) "
        "or add the use to ALLOWED with the reason it is safe"
    )


def test_every_allowlist_entry_still_exists():
    found = _template_uses() | _python_uses()
    assert ALLOWED.keys() - found == set(), "stale ALLOWED entries: remove them"


def test_the_patterns_find_what_they_should():
    """The scanner itself: each form of switching escaping off is recognised."""
    for template in [
        "{{ x|safe }}",
        "{{ x | safe }}",
        "{{ items|safeseq|join:', ' }}",
        "{% autoescape off %}",
        "{% filter force_escape|safe %}",
    ]:
        assert TEMPLATE_UNSAFE.search(template), template
    assert not TEMPLATE_UNSAFE.search("{{ x|safe_label }}{{ x|linebreaks }}")
    for line in ["mark_safe(x)", "format_html('{}', x)", "class A:\n def __html__(self):"]:
        assert PYTHON_UNSAFE.search(line), line


def test_templates_autoescape():
    from django.conf import settings

    for engine in settings.TEMPLATES:
        assert engine.get("OPTIONS", {}).get("autoescape", True) is True


def test_our_javascript_writes_no_html_from_strings():
    found = []
    for path in (PACKAGE / "static").rglob("*.js"):
        if path.name in VENDORED_JS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if JS_SINKS.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []
