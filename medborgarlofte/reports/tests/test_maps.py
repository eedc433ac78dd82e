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
