import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts import divisions
from portal.accounts.credit_code import (
    ALPHABET,
    WEIGHTS,
    Problem,
    check_credit_code,
    code_check_character,
    is_enterprise_type,
    normalise,
    org_check_character,
)
from tests.factories import valid_credit_code


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_worked_example_from_reference():
    # reference.md §4.3: sum 538, 538 mod 31 = 11, 31 - 11 = 20 -> "L"
    assert code_check_character("91110000600037341") == "L"
    assert org_check_character("60003734") == "1"
    assert check_credit_code("91110000600037341L").valid


def test_standard_example_with_corrected_check_character():
    # "…Y4Z" is invalid (Z never occurs; the check should be 3), "…Y43" is valid.
    assert org_check_character("M000100Y") == "4"
    assert code_check_character("91350100M000100Y4") == "3"
    assert check_credit_code("91350100M000100Y43").valid
    bad = check_credit_code("91350100M000100Y4Z")
    assert bad.problem is Problem.FORBIDDEN_LETTER and bad.detail == "Z"


def test_genuine_early_codes_fail_the_check_but_are_overridable():
    for code, expected in [("91350211M0000XUF46", "R"), ("91350100M0001TGQXM", "1")]:
        result = check_credit_code(code)
        assert code_check_character(code[:17]) == expected  # reference.md §4.4
        assert result.problem is Problem.CHECK_CHARACTER
        assert result.problem.overridable


def test_wrong_check_character_does_not_reveal_the_expected_one():
    result = check_credit_code("91110000600037341M")
    assert result.problem is Problem.CHECK_CHARACTER
    assert "L" not in result.detail


def test_wrong_org_check_character():
    result = check_credit_code("911100006000373428")
    assert result.problem is Problem.ORG_CHECK and result.detail == ""
    assert result.problems == (Problem.ORG_CHECK, Problem.CHECK_CHARACTER)


def test_normalisation_of_case_spaces_and_hyphens():
    assert normalise(" 9111 0000-6000 3734 1l ") == "91110000600037341L"
    assert check_credit_code("91110000-600037341l").valid


def test_a_code_typed_in_full_width_characters_is_read():
    typed = "９１１１\u3000００００－６０００\u200b３７３４\u3000１ｌ"
    assert normalise(typed) == "91110000600037341L"
    assert check_credit_code(typed).valid


def test_length_errors():
    assert check_credit_code("").problem is Problem.EMPTY
    short = check_credit_code("9111000060003734")
    assert short.problem is Problem.LENGTH and short.detail == "16"
    assert check_credit_code("91110000600037341LL").problem is Problem.LENGTH


def test_each_forbidden_letter_is_named():
    for letter in "IOZSV":
        code = "9111000060003734" + letter + "L"
        result = check_credit_code(code)
        assert result.problem is Problem.FORBIDDEN_LETTER
        assert result.detail == letter
        assert not result.problem.overridable


def test_non_alphanumeric_characters():
    result = check_credit_code("91110000600037341#")
    assert result.problem is Problem.INVALID_CHARACTER and result.detail == "#"


def test_region_part_must_be_digits():
    code = "91A10000600037341L"
    assert check_credit_code(code).problem is Problem.REGION_DIGITS


def with_checks(head8: str, body: str = "MA4F0K3P") -> str:
    first17 = head8 + body + org_check_character(body)
    return first17 + code_check_character(first17)


def test_codes_starting_with_letters_are_accepted_when_any_type_is():
    # Registration authorities A, N and Y exist; python-stdnum wrongly insists on digits.
    for head in ("N2420900", "Y1420900", "A1110000"):
        assert check_credit_code(with_checks(head), enterprise=False).valid


@pytest.mark.parametrize("head", ["B1", "01", "C9", "X1"])
def test_position_1_must_be_a_registration_authority(head):
    result = check_credit_code(with_checks(head + "420900"), enterprise=False)
    assert result.problem is Problem.AUTHORITY and result.detail == head[0]
    assert not result.problem.overridable


@pytest.mark.parametrize("head", ["94", "96", "54", "Y2", "36", "NA"])
def test_position_2_must_be_a_type_of_that_authority(head):
    result = check_credit_code(with_checks(head + "420900"), enterprise=False)
    assert result.problem is Problem.ENTITY_TYPE and result.detail == head


@pytest.mark.parametrize(
    ("head", "zh"),
    [("92", "个体工商户"), ("93", "农民专业合作社"), ("11", "机关"), ("51", "社会团体"),
     ("52", "民办非企业单位"), ("31", "律师执业机构"), ("N2", "村级集体经济组织")],
)  # fmt: skip
def test_non_enterprise_types_are_refused_for_an_enterprise(head, zh):
    code = with_checks(head + "420900")
    result = check_credit_code(code)
    assert result.problem is Problem.NOT_ENTERPRISE and not result.problem.overridable
    assert result.entity_type.zh == zh
    assert check_credit_code(code, enterprise=False).valid


def test_only_type_91_counts_as_an_enterprise():
    assert is_enterprise_type("91")
    assert not any(is_enterprise_type(t) for t in ("92", "93", "11", "12", "51", "Y1"))


@pytest.mark.parametrize("region", ["990100", "000000", "300000", "720000"])
def test_region_digits_without_a_province_are_impossible(region):
    result = check_credit_code(with_checks("91" + region))
    assert result.problem is Problem.REGION_IMPOSSIBLE and result.detail == region
    assert not result.problem.overridable


@pytest.mark.parametrize("region", ["330106", "110108", "420900", "429004", "500155", "540600"])
def test_current_county_and_city_divisions_are_accepted(region):
    assert check_credit_code(with_checks("91" + region)).valid


@pytest.mark.parametrize("region", ["500228", "330183", "130621", "542421"])
def test_divisions_abolished_since_2014_are_accepted(region):
    # 梁平县, 富阳市, 满城县 (districts since 2015–2016), 那曲县 (a district since 2017).
    assert divisions.status(region) is divisions.Status.FORMER
    assert check_credit_code(with_checks("91" + region)).valid


def test_unlisted_division_of_a_real_province_is_overridable():
    result = check_credit_code(with_checks("91" + "330199"))
    assert result.problem is Problem.REGION_UNKNOWN and result.detail == "330199"
    assert result.problem.overridable and result.problems == (Problem.REGION_UNKNOWN,)


def test_factory_codes_are_valid():
    for n in range(200):
        assert check_credit_code(valid_credit_code(n=n)).valid


@given(st.text(max_size=40))
def test_any_text_never_crashes(raw):
    result = check_credit_code(raw)
    assert result.valid == (result.problem is None)


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_computed_check_character_always_validates(first17):
    code = first17 + code_check_character(first17)
    result = check_credit_code(code, enterprise=False)
    # Only the structural checks (tables, region digits, organisation check) can still fail.
    assert Problem.CHECK_CHARACTER not in result.problems
    assert result.problem is not Problem.CHECK_CHARACTER


@given(st.text(max_size=30))
def test_normalising_a_code_twice_is_normalising_once(raw):
    assert normalise(normalise(raw)) == normalise(raw)


@given(st.text(alphabet=ALPHABET, min_size=18, max_size=18))
def test_single_character_change_is_detected(code):
    first17 = code[:17]
    good = first17 + code_check_character(first17)
    for i in range(17):
        for replacement in "0A":
            if good[i] == replacement:
                continue
            mutated = good[:i] + replacement + good[i + 1 :]
            assert code_check_character(mutated[:17]) != mutated[17]
