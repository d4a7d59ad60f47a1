import pytest

from rosc.training.categories import categories_ensure_defaults


@pytest.fixture(autouse=True)
def credential_categories(request: pytest.FixtureRequest) -> None:
    """The shipped categories, even after a live-server test flushed the table."""
    names = set(request.fixturenames)
    if "live_server" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    categories_ensure_defaults()
