import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English messages; reverse() then gives /en/ URLs as well, so pages
    are rendered in English too (the Chinese catalogue is merged from the translations TSV)."""
    with translation.override("en"):
        yield
