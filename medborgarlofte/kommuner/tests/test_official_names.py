import pytest

from medborgarlofte.kommuner.names import official_name


@pytest.mark.parametrize(
    ("code", "name", "official"),
    [
        ("0180", "Stockholm", "Stockholms kommun"),
        ("0680", "Jönköping", "Jönköpings kommun"),
        ("0642", "Mullsjö", "Mullsjö kommun"),
        ("1863", "Hällefors", "Hällefors kommun"),
        ("0861", "Mönsterås", "Mönsterås kommun"),
        ("2514", "Kalix", "Kalix kommun"),
        ("1462", "Lilla Edet", "Lilla Edets kommun"),
        ("0980", "Gotland", "Region Gotland"),
        ("2080", "Falun", "Falu kommun"),
    ],
)
def test_official_name(code, name, official):
    assert official_name(code, name) == official


@pytest.mark.django_db
def test_every_kommun_has_an_official_name():
    from medborgarlofte.kommuner.models import Municipality

    names = [m.official_name for m in Municipality.objects.all()]
    assert len(names) == 290
    assert all(n.endswith(" kommun") or n == "Region Gotland" for n in names)
