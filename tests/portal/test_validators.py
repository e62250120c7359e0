"""The phone and credit-code validators shared by the registration form and the registry import."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.credit_code import check_credit_code
from portal.accounts.validators import credit_code_error, normalise_phone, validate_phone


@pytest.mark.parametrize(
    "phone",
    ["13900002222", "+86 13900002222", "027-12345678", "02712345678", "010-1234567-89"],
)
def test_mobile_and_landline_numbers_are_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "1390000222", "27-12345678", "+1 2025550123", ""])
def test_other_numbers_are_refused_with_a_translated_reason(phone):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            validate_phone(phone)
        # The message is lazy: read it while Chinese is active, whatever ran before.
        assert exc.value.messages == ["请输入11位手机号码或带区号的固定电话。"]


def test_spaces_are_dropped_before_the_check():
    assert normalise_phone(" 139 0000\t2222 ") == "13900002222"
    validate_phone("139 0000 2222")


def test_credit_code_error_names_the_problem_and_its_detail():
    with translation.override("en"):
        error = credit_code_error(check_credit_code("91420900MA4K3A1B2"))
        assert error.code == "length"
        assert error.messages == ["A unified social credit code has 18 characters; you entered 17."]
