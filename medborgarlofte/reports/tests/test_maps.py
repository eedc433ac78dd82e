import re

from medborgarlofte.reports.maps import DATA_DIR, MapCell, MapPoint, boundary, kommun_map


def test_it_has_a_boundary_for_every_kommun():
    files = list(DATA_DIR.glob("*.json"))
    assert len(files) == 290
    assert boundary("0642")["name"] == "Mullsjö"


def test_it_draws_the_boundary_points_and_cells_without_external_resources():
    svg = kommun_map(
        "0642",
        points=[MapPoint(57.9163, 13.8786, 4, "Mullsjö <centrum>", highlight=True)],
        cells=[MapCell(57.9, 13.87, 57.9025, 13.875, 2, "cell")],
        title="Vecka 20",
    )
    assert svg.startswith("<svg") and svg.count("<path") == 1
    assert "<circle" in svg and "<rect" in svg and "#b3261e" in svg
    assert "Mullsjö &lt;centrum&gt;" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_it_zooms_to_the_points_when_asked():
    overview = kommun_map(
        "0642", points=[MapPoint(57.9163, 13.8786, 1), MapPoint(57.9176, 13.877, 1)]
    )
    focus = kommun_map(
        "0642", points=[MapPoint(57.9163, 13.8786, 1), MapPoint(57.9176, 13.877, 1)], focus=True
    )
    assert overview != focus


def test_it_puts_an_optional_background_behind_the_boundary():
    svg = kommun_map(
        "0642", background_url="https://tiles.example/wms?bbox={west},{south},{east},{north}"
    )
    assert "<image" in svg and "bbox=13." in svg


def test_it_returns_nothing_for_an_unknown_kommun_without_points():
    assert kommun_map("9999") == ""
    assert boundary("../x") is None


def test_the_picker_map_carries_a_projection_that_turns_a_tap_back_into_the_point():
    from medborgarlofte.reports.maps import MARGIN, Projection, picker_map

    svg = picker_map("0642", places=[MapPoint(57.9163, 13.8786, 0, "Mullsjö <centrum>")])
    assert 'class="kommun-map place-picker"' in svg and "Mullsjö &lt;centrum&gt;" in svg
    attrs = dict(re.findall(r'data-(\w+)="([^"]+)"', svg))
    west, north, kx, scale = (float(attrs[k]) for k in ("west", "north", "kx", "scale"))
    assert int(attrs["margin"]) == MARGIN
    x, y = Projection(boundary("0642")["rings"]).xy(57.9163, 13.8786)
    # what static/js/place-map.js computes from a tap at (x, y)
    lat = north - (y - MARGIN) / scale
    lon = west + (x - MARGIN) / (kx * scale)
    assert abs(lat - 57.9163) < 0.001 and abs(lon - 13.8786) < 0.001
    assert picker_map("9999") == ""
