from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.linking import normalise

TODAY = datetime.date(2026, 11, 26)


# --- phone -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0) 7700 900123",
        "0044 7700 900123",
        "447700900123",
        "07700-900-123",
        " 07700 900 123 ",
    ],
)
def test_uk_mobile_written_many_ways_is_one_e164_number(raw: str) -> None:
    assert normalise.phone(raw) == "+447700900123"


def test_landline_with_area_code_in_brackets_is_normalised() -> None:
    assert normalise.phone("(020) 7946 0018") == "+442079460018"


def test_foreign_number_keeps_its_country_code() -> None:
    assert normalise.phone("+1 212 555 0100") == "+12125550100"


@pytest.mark.parametrize("raw", ["", "   ", None, "123", "not a number", "0770"])
def test_unusable_phone_gives_none(raw: str | None) -> None:
    assert normalise.phone(raw) is None


@given(st.integers(min_value=0, max_value=999_999))
def test_any_uk_mobile_survives_spaces_and_the_international_prefix(n: int) -> None:
    local = f"07700{n:06d}"
    spaced = f"{local[:5]} {local[5:]}"
    assert normalise.phone(local) == normalise.phone(spaced) == normalise.phone(f"+44{local[1:]}")


# --- email -----------------------------------------------------------------------------------
def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalise.email("  Jane.Doe@Example.ORG ") == "jane.doe@example.org"


def test_gmail_dots_and_plus_tags_are_ignored_and_googlemail_is_gmail() -> None:
    assert normalise.email("Jo.Bloggs+watch@googlemail.com") == "jobloggs@gmail.com"


def test_plus_tag_is_removed_only_for_providers_known_to_ignore_it() -> None:
    assert normalise.email("sam+news@outlook.com") == "sam@outlook.com"
    assert normalise.email("sam+news@example.com") == "sam+news@example.com"


def test_dots_are_kept_outside_gmail() -> None:
    assert normalise.email("a.b@outlook.com") == "a.b@outlook.com"


def test_mailto_prefix_and_angle_brackets_are_dropped() -> None:
    assert normalise.email("mailto:<A@B.CO.UK>") == "a@b.co.uk"


@pytest.mark.parametrize("raw", ["", None, "no-at-sign", "x@y", "a@@b.com", "a b@c.com"])
def test_unusable_email_gives_none(raw: str | None) -> None:
    assert normalise.email(raw) is None


@given(st.emails())
def test_email_normalisation_is_idempotent(address: str) -> None:
    once = normalise.email(address)
    if once is not None:
        assert normalise.email(once) == once


# --- social accounts -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "platform", "expected"),
    [
        ("@Jo_Bloggs", "Twitter", "x:jo_bloggs"),
        ("jo_bloggs", "x", "x:jo_bloggs"),
        ("https://twitter.com/Jo_Bloggs", "", "x:jo_bloggs"),
        ("x.com/jo_bloggs?lang=en", "", "x:jo_bloggs"),
        ("https://twitter.com/Jo_Bloggs/status/123", "", "x:jo_bloggs"),
        ("https://www.instagram.com/some.user/", "", "instagram:some.user"),
        ("instagram.com/some.user", "", "instagram:some.user"),
        ("some.user", "IG", "instagram:some.user"),
        ("https://www.tiktok.com/@Dancer1", "", "tiktok:dancer1"),
        ("https://m.facebook.com/profile.php?id=1234", "", "facebook:1234"),
        ("https://www.linkedin.com/in/jane-doe/", "", "linkedin:jane-doe"),
        ("reddit.com/u/someone", "", "reddit:someone"),
        ("https://t.me/someone", "", "telegram:someone"),
    ],
)
def test_social_accounts_from_handles_and_urls(raw: str, platform: str, expected: str) -> None:
    assert normalise.social_account(raw, platform=platform) == expected


@pytest.mark.parametrize(
    ("raw", "platform"), [("", "x"), ("handle", ""), ("bad handle!", "x"), ("https://x.com/", "")]
)
def test_unusable_social_account_gives_none(raw: str, platform: str) -> None:
    assert normalise.social_account(raw, platform=platform) is None


# --- vehicles --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ab12 cde", "AB12CDE"),
        ("AB-12-CDE", "AB12CDE"),
        ("AB1O CDE", "AB10CDE"),  # O written for zero
        ("A812 CDE", "A812CDE"),  # 8 for B is not a safe guess: kept as written
        ("A123 BCD", "A123BCD"),  # prefix plates are not "corrected" into current ones
        ("ABC 123D", "ABC123D"),
        ("1 ABC", "1ABC"),
    ],
)
def test_vehicle_registrations(raw: str, expected: str) -> None:
    assert normalise.vehicle_registration(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "X", "TOOLONGPLATE1"])
def test_unusable_registration_gives_none(raw: str | None) -> None:
    assert normalise.vehicle_registration(raw) is None


def test_registration_format_check_knows_current_and_older_plates() -> None:
    assert normalise.is_uk_registration_format("AB12CDE")
    assert normalise.is_uk_registration_format("A123BCD")
    assert not normalise.is_uk_registration_format("12ABCDEF")


# --- postcodes -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A  1AA ", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("B338TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("W1A OAX", "W1A 0AX"),  # letter O typed for zero in the inward code
    ],
)
def test_postcodes_are_upper_case_with_one_space(raw: str, expected: str) -> None:
    assert normalise.postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "12345", "SW1A", "ZZZZ ZZZ"])
def test_not_a_postcode_gives_none(raw: str | None) -> None:
    assert normalise.postcode(raw) is None


def test_postcode_district_is_the_outward_code() -> None:
    assert normalise.postcode_district("SW1A 1AA") == "SW1A"


@given(
    st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", fullmatch=True),
    st.sampled_from(["", " ", "  "]),
    st.booleans(),
)
def test_postcode_spacing_and_case_never_matter(code: str, space: str, lower: bool) -> None:
    outward, inward = code.split(" ")
    variant = f"{outward}{space}{inward}"
    variant = variant.lower() if lower else variant
    assert normalise.postcode(variant) == normalise.postcode(code) == code


# --- names -----------------------------------------------------------------------------------
def test_names_lose_case_accents_spacing_hyphens_and_apostrophes() -> None:
    assert normalise.name("  Zoë  O'Brien-Smith ") == "zoe obrien smith"


@pytest.mark.parametrize(
    ("raw", "expected"), [("JOSÉ", "jose"), ("Łukasz", "lukasz"), ("Strauß", "strauss")]
)
def test_letters_from_other_alphabets_become_plain_letters(raw: str, expected: str) -> None:
    assert normalise.name(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "  ", "---", "123"])
def test_empty_names_give_none(raw: str | None) -> None:
    assert normalise.name(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Bill", "william"), ("Liz", "elizabeth"), ("Jack Smith", "john"), ("Xavier", "xavier")],
)
def test_given_name_replaces_common_nicknames(raw: str, expected: str) -> None:
    assert normalise.given_name(raw) == expected


def test_nickname_table_is_loaded_from_data() -> None:
    table = normalise.nicknames()
    assert table["bob"] == "robert"
    assert len(table) > 150


def test_names_that_sound_alike_share_a_phonetic_code() -> None:
    assert normalise.phonetic("Stephens") == normalise.phonetic("Stevens")
    assert normalise.phonetic("Smith") != normalise.phonetic("Jones")


@given(st.text(max_size=40))
def test_name_normalisation_is_idempotent(raw: str) -> None:
    once = normalise.name(raw)
    assert once is None or normalise.name(once) == once


# --- dates of birth --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        "1984-03-07",
        "19840307",
        "07/03/1984",
        "7/3/1984",
        "07-03-1984",
        "7.3.84",
        "7 March 1984",
        "7th Mar 1984",
        "March 7, 1984",
        "1984/03/07",
        datetime.date(1984, 3, 7),
        datetime.datetime(1984, 3, 7, 12, 0),
    ],
)
def test_dates_of_birth_in_common_formats(raw: str | datetime.date) -> None:
    assert normalise.date_of_birth(raw, today=TODAY) == "1984-03-07"


def test_two_digit_years_are_in_the_past() -> None:
    assert normalise.date_of_birth("1/1/05", today=TODAY) == "2005-01-01"
    assert normalise.date_of_birth("1/1/85", today=TODAY) == "1985-01-01"


@pytest.mark.parametrize(
    "raw",
    ["", None, "31/02/1990", "2090-01-01", "1850-01-01", "13/13/1990", "soon", "7 Smarch 1984"],
)
def test_impossible_dates_of_birth_give_none(raw: str | None) -> None:
    assert normalise.date_of_birth(raw, today=TODAY) is None


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY))
def test_every_date_reads_the_same_in_each_format(day: datetime.date) -> None:
    formats = ["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y"]
    assert {normalise.date_of_birth(day.strftime(f), today=TODAY) for f in formats} == {
        day.isoformat()
    }
