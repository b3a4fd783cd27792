import pytest

from core.classroom.store import ClassroomStore
from tests.classroom_databases import BACKENDS, database_url


class Clock:
    """A clock the test moves: rate limits are about time."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    return database_url(request.param, tmp_path)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(url, clock):
    opened = ClassroomStore(url, clock=clock)
    yield opened
    opened.dispose()
