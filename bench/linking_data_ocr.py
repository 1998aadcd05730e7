"""A second generator of synthetic people, with an error model unlike bench/linking_data.py's.

Where linking_data.py imitates two organisations typing the same person, this one imitates
scanned forms and hurried keying: OCR confusions (rn/m, cl/d, l/1, O/0, e/c), keyboard slips
(a neighbouring key, a doubled or dropped letter), day and month swapped, dates written in
several British styles (two-digit years too), many missing fields, names drawn with a skewed
(Zipf-like) frequency so that a few names are very common, and twins (same surname, date of
birth and address, different given name) among the records that are not matches. Only about
half of the right-hand file has a match, so the prior differs from linking_data.py's too.

    python bench/linking_data_ocr.py OUT_DIR [--left 5000] [--right 5000] [--seed 11]

No real people: Faker's word lists (en_GB, en_IE, en_IN), read once, then sampled.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import sys
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
OCR = [("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("l", "1"), ("o", "0"), ("e", "c")]
KEYBOARD = {
    row[i]: row[i - 1] + row[i + 1]
    for row in (" qwertyuiop ", " asdfghjkl ", " zxcvbnm ")
    for i in range(1, len(row) - 1)
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class People:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        fakes = [Faker(locale) for locale in ("en_GB", "en_IE", "en_IN")]
        for i, fake in enumerate(fakes):
            fake.seed_instance(seed + i)
        self.given = sorted({f.first_name() for f in fakes for _ in range(800)})
        self.surnames = sorted({f.last_name() for f in fakes for _ in range(800)})
        self.streets = sorted({fakes[0].street_name() for _ in range(6000)})
        self.towns = sorted({fakes[0].city() for _ in range(3000)})
        self.rng.shuffle(self.given)
        self.rng.shuffle(self.surnames)
        # Zipf-like weights: the first names in the shuffled list are far more common.
        self.given_weights = [1 / (i + 1) ** 0.8 for i in range(len(self.given))]
        self.surname_weights = [1 / (i + 1) ** 0.8 for i in range(len(self.surnames))]

    def postcode(self) -> str:
        rng = self.rng
        area = "".join(rng.choice("ABCDEGHKLMNPRSTWY") for _ in range(rng.choice((1, 2))))
        inward = "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
        return f"{area}{rng.randint(1, 29)} {rng.randint(0, 9)}{inward}"

    def person(self) -> dict[str, str]:
        rng = self.rng
        given = rng.choices(self.given, self.given_weights)[0]
        surname = rng.choices(self.surnames, self.surname_weights)[0]
        born = datetime.date(1935, 1, 1) + datetime.timedelta(days=rng.randrange(70 * 365))
        phone = (
            f"07{rng.randrange(10**9):09d}"
            if rng.random() < 0.8
            else f"01{rng.randrange(100, 999)} {rng.randrange(10**6):06d}"
        )
        return {
            "given_name": given,
            "surname": surname,
            "date_of_birth": born.isoformat(),
            "street_number": str(rng.randint(1, 400)),
            "address_1": rng.choice(self.streets),
            "address_2": "",
            "town": rng.choice(self.towns),
            "postcode": self.postcode(),
            "phone": phone,
            "email": f"{given[0]}{surname}{rng.randint(1, 999)}@example.com".lower(),
        }

    def twin(self, person: dict[str, str]) -> dict[str, str]:
        other = dict(person)
        other["given_name"] = self.rng.choices(self.given, self.given_weights)[0]
        other["phone"] = self.person()["phone"]
        other["email"] = ""
        return other

    # -- errors ---------------------------------------------------------------------------
    def ocr(self, text: str) -> str:
        lower = text.lower()
        options = [(a, b) for a, b in OCR if a in lower]
        if not options:
            return text
        a, b = self.rng.choice(options)
        at = lower.index(a)
        return text[:at] + b + text[at + len(a) :]

    def keyed(self, text: str) -> str:
        rng = self.rng
        if len(text) < 3:
            return text
        i = rng.randrange(1, len(text))
        kind = rng.randrange(3)
        if kind == 0 and text[i].lower() in KEYBOARD:
            return text[:i] + rng.choice(KEYBOARD[text[i].lower()]).strip() + text[i + 1 :]
        if kind == 1:
            return text[:i] + text[i] + text[i:]
        return text[:i] + text[i + 1 :]

    def date_text(self, born: datetime.date, *, swap: bool) -> str:
        rng = self.rng
        day, month = (born.month, born.day) if swap else (born.day, born.month)
        style = rng.randrange(5)
        if style == 0:
            return f"{day:02d}/{month:02d}/{born.year}"
        if style == 1:
            return f"{day}.{month}.{born.year % 100:02d}"
        if style == 2 and not swap:
            return f"{born.day} {MONTHS[born.month - 1]} {born.year}"
        if style == 3:
            return (
                f"{born.year}{month:02d}{day:02d}"
                if not swap
                else f"{day:02d}-{month:02d}-{born.year}"
            )
        return f"{day:02d}-{month:02d}-{born.year}"

    def copy(self, person: dict[str, str]) -> dict[str, str]:
        rng = self.rng
        record = dict(person)
        for key in ("given_name", "surname", "address_1", "town"):
            roll = rng.random()
            if roll < 0.07:
                record[key] = self.ocr(record[key])
            elif roll < 0.14:
                record[key] = self.keyed(record[key])
        if rng.random() < 0.05:
            record["given_name"] = record["given_name"][0]  # an initial only
        born = datetime.date.fromisoformat(record["date_of_birth"])
        swap = born.day <= 12 and born.day != born.month and rng.random() < 0.05
        record["date_of_birth"] = self.date_text(born, swap=swap)
        if rng.random() < 0.04:
            record["postcode"] = self.ocr(record["postcode"].replace("0", "O", 1))
        if rng.random() < 0.10:
            record.update({k: self.person()[k] for k in ("street_number", "address_1", "town")})
            record["postcode"] = self.postcode()
        if rng.random() < 0.3 and record["phone"].startswith("07"):
            record["phone"] = f"+44 (0){record['phone'][1:5]} {record['phone'][5:]}"
        for key, rate in (("phone", 0.35), ("email", 0.5), ("street_number", 0.1), ("town", 0.1)):
            if rng.random() < rate:
                record[key] = ""
        for key in ("date_of_birth", "postcode", "address_1"):
            if rng.random() < 0.05:
                record[key] = ""
        record["given_name"] = (
            record["given_name"].upper() if rng.random() < 0.3 else record["given_name"]
        )
        record["surname"] = record["surname"].upper() if rng.random() < 0.3 else record["surname"]
        return record


def generate(
    *, left: int, right: int, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    people = People(seed)
    rng = people.rng
    originals = [people.person() for _ in range(left)]
    left_rows = [{"record_id": f"A{i:07d}", **p} for i, p in enumerate(originals)]
    for row in left_rows:
        if rng.random() < 0.3:
            row["email"] = ""
    links = right // 2
    chosen = rng.sample(range(left), min(links, left))
    right_people: list[tuple[dict[str, str], int | None]] = [
        (people.copy(originals[i]), i) for i in chosen
    ]
    while len(right_people) < right:
        if rng.random() < 0.15:
            twin = people.twin(originals[rng.randrange(left)])
            right_people.append((people.copy(twin), None))
        else:
            right_people.append((people.copy(people.person()), None))
    rng.shuffle(right_people)
    right_rows = []
    truth: set[tuple[str, str]] = set()
    for j, (row, source) in enumerate(right_people):
        right_rows.append({"record_id": f"B{j:07d}", **row})
        if source is not None:
            truth.add((left_rows[source]["record_id"], f"B{j:07d}"))
    return left_rows, right_rows, truth


def write_files(
    out_dir: Path, *, left: int, right: int, seed: int
) -> tuple[Path, Path, set[tuple[str, str]]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    left_rows, right_rows, truth = generate(left=left, right=right, seed=seed)
    for name, rows in (("left.csv", left_rows), ("right.csv", right_rows)):
        with (out_dir / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    with (out_dir / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(sorted(truth))
    return out_dir / "left.csv", out_dir / "right.csv", truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--left", type=int, default=5000)
    parser.add_argument("--right", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    _, _, truth = write_files(args.out_dir, left=args.left, right=args.right, seed=args.seed)
    print(f"wrote {args.out_dir}/left.csv, right.csv and {len(truth)} true links", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
