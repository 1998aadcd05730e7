"""The normalisation of vigil/linking/normalise.py, done inside DuckDB for millions of rows.

Every column is normalised once per distinct value, not once per row: names, towns and dates
repeat a great deal, so the Python functions in normalise.py run on those few distinct values
and the result is joined back. Phone numbers, email addresses and postcodes are nearly unique,
so for them the common plain-ASCII forms are normalised by the SQL macros below, and only the
values those macros cannot vouch for go to Python. A property test
(tests/test_bulk_normalise.py) checks that the macros give what normalise.py gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vigil.linking import normalise

_UK_POSTCODE = "([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})"
_PLUS_DOMAINS = ", ".join(f"'{d}'" for d in sorted(normalise.PLUS_ADDRESSING_DOMAINS))
_DOTLESS = ", ".join(f"'{d}'" for d in sorted(normalise.DOTLESS_DOMAINS))
_ALIASES = " ".join(f"WHEN '{a}' THEN '{b}'" for a, b in normalise.DOMAIN_ALIASES.items())

# Each macro pair: <name>_fast(x) says whether the SQL form is known to equal normalise.py's
# for x (printable ASCII in the shapes the macro handles); <name>_sql(x) is that SQL form.
MACROS = [
    # Printable ASCII: whitespace there is only the space, and upper/lower case are plain.
    "CREATE OR REPLACE MACRO vigil_ascii(x) AS regexp_full_match(x, '[ -~]*')",
    # name(): for ASCII text, lower case, apostrophes and dots dropped, other non-letters as
    # single spaces, trimmed. (Accents, curly apostrophes and ß need Python.)
    "CREATE OR REPLACE MACRO vigil_name_fast(x) AS vigil_ascii(x)",
    "CREATE OR REPLACE MACRO vigil_name_sql(x) AS nullif(trim(regexp_replace("
    "regexp_replace(lower(x), '[''`.]', '', 'g'), '[^a-z]+', ' ', 'g')), '')",
    # postcode(): spaces out, upper case, the outward/inward pattern, a letter O read as 0.
    "CREATE OR REPLACE MACRO vigil_pc_fold(t) AS "
    "CASE WHEN regexp_full_match(t, '" + _UK_POSTCODE + "') THEN t "
    "WHEN length(t) >= 5 AND substr(t, length(t) - 2, 1) = 'O' "
    "AND regexp_full_match(left(t, length(t) - 3) || '0' || right(t, 2), '" + _UK_POSTCODE + "') "
    "THEN left(t, length(t) - 3) || '0' || right(t, 2) END",
    "CREATE OR REPLACE MACRO vigil_pc_uk(x) AS "
    "regexp_replace(vigil_pc_fold(upper(replace(x, ' ', ''))), "
    "'^" + _UK_POSTCODE + "$', '\\1 \\2')",
    # postcode_key(): a UK postcode, else letters and digits only, 3 to 10 of them.
    "CREATE OR REPLACE MACRO vigil_postcode_fast(x) AS vigil_ascii(x)",
    "CREATE OR REPLACE MACRO vigil_postcode_sql(x) AS coalesce(vigil_pc_uk(x), "
    "CASE WHEN length(regexp_replace(x, '[^A-Za-z0-9]', '', 'g')) BETWEEN 3 AND 10 "
    "THEN upper(regexp_replace(x, '[^A-Za-z0-9]', '', 'g')) END)",
    # email(): trimmed, lower case, mailto: and <> removed, one @, provider rules.
    "CREATE OR REPLACE MACRO vigil_email_fast(x) AS vigil_ascii(x)",
    "CREATE OR REPLACE MACRO vigil_email_text(x) AS "
    "trim(trim(regexp_replace(lower(trim(x)), '^mailto:', ''), '<>'))",
    "CREATE OR REPLACE MACRO vigil_email_domain(t) AS "
    "CASE rtrim(split_part(t, '@', 2), '.') " + _ALIASES + " "
    "ELSE rtrim(split_part(t, '@', 2), '.') END",
    "CREATE OR REPLACE MACRO vigil_email_local(t, d) AS "
    "CASE WHEN d IN (" + _DOTLESS + ") THEN replace(split_part(split_part(t, '@', 1), '+', 1), "
    "'.', '') WHEN d IN (" + _PLUS_DOMAINS + ") THEN split_part(split_part(t, '@', 1), '+', 1) "
    "ELSE split_part(t, '@', 1) END",
    "CREATE OR REPLACE MACRO vigil_email_parts(t) AS "
    "CASE WHEN regexp_full_match(t, '[^@ ]+@[^@ ]+\\.[^@ ]+') "
    "AND vigil_email_local(t, vigil_email_domain(t)) <> '' "
    "THEN vigil_email_local(t, vigil_email_domain(t)) || '@' || vigil_email_domain(t) END",
    "CREATE OR REPLACE MACRO vigil_email_sql(x) AS vigil_email_parts(vigil_email_text(x))",
    # phone(): only UK mobiles written as 07... or +447..., digits in groups split by one
    # space or hyphen. Everything else (landlines, 0044, brackets) goes to phonenumbers.
    "CREATE OR REPLACE MACRO vigil_phone_digits(x) AS replace(replace(trim(x), ' ', ''), '-', '')",
    "CREATE OR REPLACE MACRO vigil_phone_fast(x) AS "
    "regexp_full_match(x, ' *\\+?[0-9]+([ -][0-9]+)* *') "
    "AND regexp_full_match(vigil_phone_digits(x), '07[0-9]{9}|\\+447[0-9]{9}')",
    "CREATE OR REPLACE MACRO vigil_phone_sql(x) AS "
    "CASE WHEN left(vigil_phone_digits(x), 1) = '0' THEN '+44' || substr(vigil_phone_digits(x), 2)"
    " ELSE vigil_phone_digits(x) END",
]

# Columns normalised by a fast SQL macro first (then Python for the rest): column -> macro stem.
FAST = {
    "postcode": "postcode",
    "email": "email",
    "phone": "phone",
    "address_1": "name",
    "address_2": "name",
    "town": "name",
}

# Python normalisers, each applied to the distinct raw values of one input column.
PYTHON: dict[str, Callable[[str | None], Any]] = {
    "given_name": lambda v: (normalise.given_name(v), normalise.phonetic(normalise.given_name(v))),
    "surname": lambda v: (normalise.name(v), normalise.phonetic(normalise.name(v))),
    "date_of_birth": normalise.date_of_birth,
    "street_number": normalise.street_number,
    "address_1": normalise.name,
    "town": normalise.name,
    "address_2": normalise.name,
    "postcode": normalise.postcode_key,
    "phone": normalise.phone,
    "email": normalise.email,
}


def install(connection: Any) -> None:
    """Create the macros on a DuckDB connection."""
    for statement in MACROS:
        connection.execute(statement)
