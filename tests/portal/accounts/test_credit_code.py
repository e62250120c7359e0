from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.credit_code import (
    ALPHABET,
    WEIGHTS,
    Problem,
    check_credit_code,
    code_check_character,
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
        assert result.problem is Problem.CHECK_CHARACTER
        assert result.detail == expected
        assert result.problem.overridable


def test_wrong_check_character_reports_the_expected_one():
    result = check_credit_code("91110000600037341M")
    assert result.problem is Problem.CHECK_CHARACTER and result.detail == "L"


def test_wrong_org_check_character():
    result = check_credit_code("911100006000373428")
    assert result.problem is Problem.ORG_CHECK and result.detail == "1"


def test_normalisation_of_case_spaces_and_hyphens():
    assert normalise(" 9111 0000-6000 3734 1l ") == "91110000600037341L"
    assert check_credit_code("91110000-600037341l").valid


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


def test_codes_starting_with_letters_are_accepted():
    # Registration authorities A, N and Y exist; python-stdnum wrongly insists on digits.
    body = "MA4F0K3P"
    head = "N2420900" + body + org_check_character(body)
    assert check_credit_code(head + code_check_character(head)).valid


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
    result = check_credit_code(code)
    # Only the structural checks (region digits, organisation check) can still fail.
    assert result.problem in (None, Problem.REGION_DIGITS, Problem.ORG_CHECK)


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
