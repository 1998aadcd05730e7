"""Synthetic person records with the errors real records have, for testing record linkage.

No real people: names, streets and towns come from Faker's en_GB word lists, phone numbers from
Ofcom's drama ranges (07700 900000-900999 style, widened to random 077xx numbers) and email
domains are example domains or big providers with made-up local parts.

    python bench/linking_data.py OUT_DIR [--left 5000] [--right 5000] [--links 4850] [--seed 7]

writes OUT_DIR/left.csv, OUT_DIR/right.csv and OUT_DIR/truth.csv (left_id,right_id).

Errors applied to the second copy of a person (rates per record, chosen to be pessimistic for
records typed by different people in different organisations):
typos and transposed letters in names (6% / 3%), nicknames for the given name (10%), given name
and surname swapped (3%), surname changed (2%), date of birth with day and month swapped (2%) or
a digit wrong (3%) or missing (5%), moved house (15%), changed phone (20%), changed email (10%),
and missing values throughout. Unmatched records include relatives of matched people (same
surname and address, different given name and date of birth): the hard false positives.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import string
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

FIELDS = [
    "record_id",
    "given_name",
    "surname",
    "date_of_birth",
    "street_number",
    "address_1",
    "address_2",
    "town",
    "postcode",
    "phone",
    "email",
]

# Reverse of the nickname table shipped with the linking engine (formal -> nicknames).
_NICKNAME_ROWS = (
    Path(__file__).resolve().parent.parent / "vigil" / "linking" / "data" / "nicknames.csv"
)


def _nicknames_by_formal() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    with _NICKNAME_ROWS.open(encoding="utf-8") as handle:
        rows = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(rows):
            table.setdefault(row["formal"], []).append(row["nickname"])
    return table


EMAIL_DOMAINS = ["gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "example.org"]


@dataclass
class Generator:
    rng: random.Random
    fake: Faker

    @classmethod
    def seeded(cls, seed: int) -> Generator:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        return cls(random.Random(seed), fake)

    # -- clean people ---------------------------------------------------------------------
    def person(self) -> dict[str, str]:
        rng = self.rng
        given = self.fake.first_name()
        surname = self.fake.last_name()
        dob = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(68 * 365))
        person = {
            "given_name": given,
            "surname": surname,
            "date_of_birth": dob.isoformat(),
            **self.address(),
            "phone": self.phone(),
            "email": self.email(given, surname),
        }
        return person

    def address(self) -> dict[str, str]:
        return {
            "street_number": str(self.rng.randint(1, 250)),
            "address_1": self.fake.street_name(),
            "address_2": self.fake.city_suffix() if self.rng.random() < 0.3 else "",
            "town": self.fake.city(),
            "postcode": self.fake.postcode(),
        }

    def phone(self) -> str:
        return f"077{self.rng.randrange(10**8):08d}"

    def email(self, given: str, surname: str) -> str:
        rng = self.rng
        style = rng.randrange(4)
        local = [
            f"{given}.{surname}",
            f"{given[0]}{surname}",
            f"{given}{rng.randint(1, 99)}",
            f"{surname}{given[0]}{rng.randint(60, 99)}",
        ][style]
        return f"{local.lower()}@{rng.choice(EMAIL_DOMAINS)}"

    def relative(self, person: dict[str, str]) -> dict[str, str]:
        """Someone in the same household: shares surname, address and often the landline."""
        other = self.person()
        other["surname"] = person["surname"]
        for key in ("street_number", "address_1", "address_2", "town", "postcode"):
            other[key] = person[key]
        if self.rng.random() < 0.3:
            other["phone"] = person["phone"]
        return other

    # -- errors -----------------------------------------------------------------------------
    def typo(self, text: str) -> str:
        if len(text) < 3:
            return text
        rng = self.rng
        i = rng.randrange(1, len(text))
        kind = rng.randrange(3)
        letter = rng.choice(string.ascii_lowercase)
        if kind == 0:
            return text[:i] + letter + text[i + 1 :]
        if kind == 1:
            return text[:i] + letter + text[i:]
        return text[:i] + text[i + 1 :]

    def transpose(self, text: str) -> str:
        if len(text) < 3:
            return text
        i = self.rng.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]

    def corrupt(self, person: dict[str, str], nicknames: dict[str, list[str]]) -> dict[str, str]:
        rng = self.rng
        record = dict(person)
        given, surname = record["given_name"], record["surname"]
        options = nicknames.get(given.lower())
        if options and rng.random() < 0.10:
            given = rng.choice(options).title()
        elif rng.random() < 0.06:
            given = self.typo(given)
        elif rng.random() < 0.03:
            given = self.transpose(given)
        if rng.random() < 0.02:
            surname = self.fake.last_name()
        elif rng.random() < 0.06:
            surname = self.typo(surname)
        elif rng.random() < 0.03:
            surname = self.transpose(surname)
        if rng.random() < 0.03:
            given, surname = surname, given
        record["given_name"], record["surname"] = given, surname
        record["given_name"] = self.case_variant(record["given_name"])
        record["surname"] = self.case_variant(record["surname"])

        dob = datetime.date.fromisoformat(record["date_of_birth"])
        roll = rng.random()
        if roll < 0.02 and dob.day <= 12 and dob.day != dob.month:
            dob = dob.replace(month=dob.day, day=dob.month)
            record["date_of_birth"] = dob.isoformat()
        elif roll < 0.05:
            digits = list(dob.strftime("%Y%m%d"))
            position = rng.choice([3, 5, 7])
            digits[position] = str(rng.randrange(10))
            candidate = "".join(digits)
            try:
                datetime.datetime.strptime(candidate, "%Y%m%d")
                record["date_of_birth"] = f"{candidate[:4]}-{candidate[4:6]}-{candidate[6:]}"
            except ValueError:
                pass
        if rng.random() < 0.5 and record["date_of_birth"]:
            record["date_of_birth"] = record["date_of_birth"].replace("-", "")

        if rng.random() < 0.15:
            record.update(self.address())
        else:
            if rng.random() < 0.05:
                record["address_1"] = self.typo(record["address_1"])
            if rng.random() < 0.03:
                pc = record["postcode"]
                record["postcode"] = pc[:-1] + rng.choice(string.ascii_uppercase)
            if rng.random() < 0.3:
                record["postcode"] = record["postcode"].replace(" ", "").lower()
        if rng.random() < 0.20:
            record["phone"] = self.phone()
        elif rng.random() < 0.3:
            number = record["phone"]
            record["phone"] = f"+44 {number[1:5]} {number[5:]}"
        if rng.random() < 0.10:
            record["email"] = self.email(given or "x", surname or "y")
        elif rng.random() < 0.2:
            record["email"] = record["email"].upper()
        return self.blank_some(record, rate=0.06)

    def case_variant(self, text: str) -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return text.upper()
        if roll < 0.15:
            return text.lower()
        return text

    def blank_some(self, record: dict[str, str], *, rate: float) -> dict[str, str]:
        for key in FIELDS[1:]:
            # Names and dates of birth go missing less often than contact details.
            key_rate = rate / 3 if key in ("given_name", "surname", "date_of_birth") else rate
            if self.rng.random() < key_rate:
                record[key] = ""
        return record


def generate(
    *, left: int, right: int, links: int, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[tuple[str, str]]]:
    """Two files of people and the true links between them."""
    if links > min(left, right):
        raise ValueError("There cannot be more links than records in the smaller file.")
    gen = Generator.seeded(seed)
    nicknames = _nicknames_by_formal()
    people = [gen.person() for _ in range(left)]
    left_rows = [
        {"record_id": f"L{i:07d}", **gen.blank_some(dict(p), rate=0.03)}
        for i, p in enumerate(people)
    ]
    linked = gen.rng.sample(range(left), links)
    right_people: list[tuple[dict[str, str], int | None]] = [
        (gen.corrupt(people[i], nicknames), i) for i in linked
    ]
    for n in range(right - links):
        other = gen.relative(people[gen.rng.randrange(left)]) if n % 3 == 0 else gen.person()
        right_people.append((gen.blank_some(other, rate=0.03), None))
    gen.rng.shuffle(right_people)
    right_rows: list[dict[str, str]] = []
    truth: list[tuple[str, str]] = []
    for j, (row, source) in enumerate(right_people):
        right_id = f"R{j:07d}"
        right_rows.append({"record_id": right_id, **row})
        if source is not None:
            truth.append((left_rows[source]["record_id"], right_id))
    return left_rows, right_rows, truth


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def write_files(
    out_dir: Path, *, left: int, right: int, links: int, seed: int
) -> tuple[Path, Path, set[tuple[str, str]]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    left_rows, right_rows, truth = generate(left=left, right=right, links=links, seed=seed)
    write_csv(out_dir / "left.csv", left_rows)
    write_csv(out_dir / "right.csv", right_rows)
    with (out_dir / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(truth)
    return out_dir / "left.csv", out_dir / "right.csv", set(truth)


def iter_people(count: int, *, seed: int) -> Iterator[dict[str, str]]:
    """Clean synthetic people, for loading a database (see bench/candidate_lookup.py)."""
    gen = Generator.seeded(seed)
    for _ in range(count):
        yield gen.person()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--left", type=int, default=5000)
    parser.add_argument("--right", type=int, default=5000)
    parser.add_argument("--links", type=int, default=4850)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    _, _, truth = write_files(
        args.out_dir, left=args.left, right=args.right, links=args.links, seed=args.seed
    )
    print(f"wrote {args.out_dir}/left.csv, right.csv and {len(truth)} true links", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
