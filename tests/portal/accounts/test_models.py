import pytest

from portal.accounts.models import User


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("敏", "张", "张敏"),
        ("Min", "Zhang", "Min Zhang"),
        ("", "张", "张"),
        ("Min", "", "Min"),
        ("", "", ""),
    ],
)
def test_full_name_follows_the_names_own_order(first, last, expected):
    assert User(first_name=first, last_name=last).get_full_name() == expected
