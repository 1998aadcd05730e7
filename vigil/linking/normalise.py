"""Normalising identifiers so that the same person written two ways compares equal.

Plain functions: each takes what a victim, an officer or another force's system typed and returns
a canonical string, or None when there is nothing usable. They never guess beyond what is safe:
a wrong normalisation could link two different people, which is worse than missing a link.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jellyfish
import phonenumbers

DATA_DIR = Path(__file__).resolve().parent / "data"

# --- phone numbers ---------------------------------------------------------------------------


def phone(raw: str | None, *, region: str = "GB") -> str | None:
    """E.164 (+447700900123). Numbers written without a country code are read as UK numbers.

    "Possible" rather than "valid" numbers are kept: a stalker's number may be from a range that
    libphonenumber's metadata does not yet list, and missing it costs more than keeping it.
    """
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    # "00" is the international prefix from the UK; "+44 (0)" is a common British way to write.
    text = re.sub(r"^\s*00", "+", text)
    text = re.sub(r"\(\s*0\s*\)", "", text)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    # Fewer than seven digits is a fragment (an extension, a short code): useless for matching.
    if not phonenumbers.is_possible_number(number) or len(str(number.national_number)) < 7:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- email addresses -------------------------------------------------------------------------

# Providers that ignore everything after "+" in the local part (sub-addressing). Elsewhere "+" may
# be a real character of the mailbox name, so it is kept.
PLUS_ADDRESSING_DOMAINS = frozenset(
    {
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "live.co.uk",
        "icloud.com",
        "me.com",
        "protonmail.com",
        "proton.me",
        "fastmail.com",
        "yahoo.com",
        "yahoo.co.uk",
    }
)
# Gmail alone ignores dots in the local part, and googlemail.com is the same mailbox.
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
DOTLESS_DOMAINS = frozenset({"gmail.com"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(raw: str | None) -> str | None:
    """Lower case, trimmed; Gmail dots and known providers' +tags removed.

    Local parts are case-sensitive in theory but no mainstream provider treats them so, and
    officers copy addresses in any case. Yahoo's "-" disposable addresses are not folded: the
    base name cannot be recovered from them.
    """
    if not raw:
        return None
    text = raw.strip().lower()
    text = re.sub(r"^mailto:", "", text)
    text = text.strip("<>").strip()
    if not _EMAIL.match(text):
        return None
    local, _, domain = text.rpartition("@")
    domain = domain.rstrip(".")
    domain = DOMAIN_ALIASES.get(domain, domain)
    if domain in PLUS_ADDRESSING_DOMAINS:
        local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    if not local:
        return None
    return f"{local}@{domain}"


# --- social media accounts -------------------------------------------------------------------

PLATFORM_ALIASES = {
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "instagr.am": "instagram",
    "x": "x",
    "twitter": "x",
    "x.com": "x",
    "twitter.com": "x",
    "facebook": "facebook",
    "fb": "facebook",
    "fb.com": "facebook",
    "facebook.com": "facebook",
    "tiktok": "tiktok",
    "tiktok.com": "tiktok",
    "snapchat": "snapchat",
    "snap": "snapchat",
    "snapchat.com": "snapchat",
    "youtube": "youtube",
    "youtube.com": "youtube",
    "linkedin": "linkedin",
    "linkedin.com": "linkedin",
    "threads": "threads",
    "threads.net": "threads",
    "telegram": "telegram",
    "t.me": "telegram",
    "reddit": "reddit",
    "reddit.com": "reddit",
    "github": "github",
    "github.com": "github",
}
# Path prefixes that come before the handle in profile URLs.
_PROFILE_PREFIXES = {"in", "u", "user", "add", "c", "channel", "people", "profile"}
_HANDLE = re.compile(r"^[a-z0-9._\-]{1,100}$")


def _platform_of(name: str) -> str:
    key = name.strip().lower()
    key = re.sub(r"^(www|m|mobile|web|vm)\.", "", key)
    if key in PLATFORM_ALIASES:
        return PLATFORM_ALIASES[key]
    if "." in key:  # a host we do not know: its first label names the platform
        label = key.split(".")[0]
        return PLATFORM_ALIASES.get(label, label)
    return key


def social_account(raw: str | None, *, platform: str = "") -> str | None:
    """ "platform:handle", from a handle ("@Jo_Bloggs") or a profile URL.

    Handles are compared in lower case: the major platforms treat them so.
    """
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    looks_like_url = "/" in text or re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}/", text, re.I)
    if looks_like_url:
        url = urlsplit(text if "://" in text else f"https://{text}")
        platform = _platform_of(url.hostname or "") or platform
        parts = [p for p in url.path.split("/") if p]
        if platform == "facebook" and parts[:1] == ["profile.php"]:
            ids = parse_qs(url.query).get("id", [])
            handle = ids[0] if ids else ""
        else:
            while len(parts) > 1 and parts[0].lower() in _PROFILE_PREFIXES:
                parts = parts[1:]
            handle = parts[0] if parts else ""
    else:
        handle = text
    platform = _platform_of(platform)
    handle = handle.strip().lstrip("@").lower()
    if not platform or not handle or not _HANDLE.match(handle):
        return None
    return f"{platform}:{handle}"


# --- UK vehicle registrations ----------------------------------------------------------------

# Current format (2001-): two letters, two digits, three letters (AB12 CDE).
_CURRENT = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$")
_OLDER = (
    re.compile(r"^[A-Z][0-9]{1,3}[A-Z]{3}$"),  # prefix, 1983-2001: A123 BCD
    re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-Z]$"),  # suffix, 1963-1983: ABC 123D
    re.compile(r"^[A-Z]{1,3}[0-9]{1,4}$"),  # dateless: ABC 1234
    re.compile(r"^[0-9]{1,4}[A-Z]{1,3}$"),  # dateless reversed: 1234 ABC
)
_TO_DIGIT = str.maketrans({"O": "0", "I": "1", "S": "5", "Z": "2"})
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "2": "Z"})


def vehicle_registration(raw: str | None) -> str | None:
    """Upper case without spaces (AB12CDE).

    Witnesses often write O for 0 and I for 1; in the current seven-character format each
    position is either a letter or a digit, so those slips are corrected there only. Other
    strings of 2 to 8 letters and digits are kept as written (personalised, foreign or trade
    plates).
    """
    if not raw:
        return None
    text = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    if not 2 <= len(text) <= 8:
        return None
    if len(text) == 7 and not is_uk_registration_format(text):
        fixed = (
            text[:2].translate(_TO_LETTER)
            + text[2:4].translate(_TO_DIGIT)
            + text[4:].translate(_TO_LETTER)
        )
        if _CURRENT.match(fixed):
            return fixed
    return text


def vehicle_registrations(raw: str | None) -> list[str]:
    """The number plates in what a victim wrote about a vehicle, e.g. "Red Ford Fiesta AB12 CDE"
    gives ["AB12CDE"]. A plate may be written as one word or two; words that are not a UK
    plate are ignored. Text that is nothing but a short plate (a personalised or foreign one)
    is kept as vehicle_registration() writes it."""
    if not raw:
        return []
    words = re.sub(r"[^A-Za-z0-9]+", " ", raw).upper().split()
    found: list[str] = []
    i = 0
    while i < len(words):
        # Two words first: "AB12 CDE" is one plate, not the dateless "AB12" and a word.
        for width in (2, 1):
            candidate = vehicle_registration("".join(words[i : i + width]))
            if (
                candidate
                and len(words[i : i + width]) == width
                and any(c.isdigit() for c in candidate)
                and is_uk_registration_format(candidate)
            ):
                found.append(candidate)
                i += width
                break
        else:
            i += 1
    if not found:
        whole = vehicle_registration(raw)
        # Every plate has a digit: "Ford" alone is a make, and would match every Ford.
        if whole and any(c.isdigit() for c in whole) and len(words) <= 2:
            found.append(whole)
    return sorted(set(found))


def is_uk_registration_format(value: str) -> bool:
    return bool(_CURRENT.match(value) or any(p.match(value) for p in _OLDER))


# --- UK postcodes ----------------------------------------------------------------------------

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode(raw: str | None) -> str | None:
    """ "SW1A 1AA": upper case, one space before the inward code; None when not a UK postcode."""
    if not raw:
        return None
    text = re.sub(r"\s+", "", raw).upper()
    match = _POSTCODE.match(text)
    if not match:
        # A zero typed as the letter O in the inward code's first position is a common slip.
        if len(text) >= 5 and text[-3] == "O":
            match = _POSTCODE.match(text[:-3] + "0" + text[-2:])
        if not match:
            return None
    return f"{match.group(1)} {match.group(2)}"


def postcode_district(value: str | None) -> str | None:
    """The outward code ("SW1A"), for blocking on a neighbourhood when the full code differs."""
    return value.split(" ")[0] if value else None


# --- addresses -------------------------------------------------------------------------------


def address(raw: str | None) -> str | None:
    """An address line as name() writes words, keeping its numbers: "12 High St." and
    "12 high st" compare equal, and "12 High Street" never equals "14 High Street"."""
    if not raw:
        return None
    text = unicodedata.normalize("NFKD", raw)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub("['\u2019`.]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split()) or None


# --- names -----------------------------------------------------------------------------------


def name(raw: str | None) -> str | None:
    """Lower case ASCII words: accents dropped, hyphens as spaces, apostrophes and dots removed.

    "  Zoë  O'Brien-Smith " and "zoe obrien smith" compare equal.
    """
    if not raw:
        return None
    text = unicodedata.normalize("NFKD", raw)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    text = text.replace("ß", "ss").replace("æ", "ae").replace("ø", "o").replace("ł", "l")
    text = re.sub("['\u2019`.]", "", text)  # apostrophes, curly or straight, and dots
    text = re.sub(r"[^a-z]+", " ", text)
    text = " ".join(text.split())
    return text or None


@cache
def nicknames() -> dict[str, str]:
    """Nickname to formal name, from data/nicknames.csv (edit that file to add more)."""
    table: dict[str, str] = {}
    with (DATA_DIR / "nicknames.csv").open(encoding="utf-8") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(rows):
            table.setdefault(row["nickname"].strip(), row["formal"].strip())
    return table


def given_name(raw: str | None) -> str | None:
    """The first given name, a common nickname replaced by its formal name (Bill -> william)."""
    normal = name(raw)
    if not normal:
        return None
    first = normal.split(" ")[0]
    return nicknames().get(first, first)


def phonetic(raw: str | None) -> str | None:
    """A sound-alike code (metaphone) of a normalised name: "Stephens" and "Stevens" share it."""
    normal = name(raw)
    if not normal:
        return None
    return jellyfish.metaphone(normal.replace(" ", "")) or None


# --- dates of birth --------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


def _full_year(year: int, digits: int, today: datetime.date) -> int:
    if digits > 2:
        return year
    # Two-digit years: a date of birth is in the past, so "05" is 2005 and "85" is 1985.
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def date_of_birth(
    raw: str | datetime.date | None, *, today: datetime.date | None = None
) -> str | None:
    """ISO date (1984-03-07) from the forms people write in the UK, day before month.

    Accepts 1984-03-07, 19840307, 07/03/1984, 7.3.84, 7 March 1984, 7th Mar 1984, March 7, 1984.
    Impossible dates, dates in the future and years before 1900 give None.
    """
    today = today or datetime.date.today()
    if raw is None:
        return None
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        parsed: datetime.date | None = raw
    else:
        parsed = _parse_date(raw.strip().lower(), today)
    if parsed is None or parsed > today or parsed.year < 1900:
        return None
    return parsed.isoformat()


def _parse_date(text: str, today: datetime.date) -> datetime.date | None:
    year: int | None
    month: int | None
    day: int | None
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = text.replace(",", " ")
    if (m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)) or (
        m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    ):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})", text):
        day, month, year = int(m[1]), int(m[2]), _full_year(int(m[3]), len(m[3]), today)
    elif m := re.fullmatch(r"(\d{1,2})[-/ ]+([a-z]+)[-/ ]+(\d{2}|\d{4})", text):
        day, month = int(m[1]), _MONTHS.get(m[2])
        year = _full_year(int(m[3]), len(m[3]), today)
    elif m := re.fullmatch(r"([a-z]+) +(\d{1,2}) +(\d{4})", text):
        month, day, year = _MONTHS.get(m[1]), int(m[2]), int(m[3])
    else:
        return None
    if month is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def postcode_key(raw: str | None) -> str | None:
    """A UK postcode as postcode() writes it; any other postal code as upper-case letters and
    digits (3 to 10 of them), so that records from abroad (an Australian "4000") still compare.

    Only equality is ever asked of the result: a code that is not a UK postcode is evidence when
    two records share it exactly, never a place to look up.
    """
    uk = postcode(raw)
    if uk or not raw:
        return uk
    text = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    return text if 3 <= len(text) <= 10 else None


def street_number(raw: str | None) -> str | None:
    """A house number as written, trimmed and in lower case ("12a")."""
    return (raw or "").strip().lower() or None
