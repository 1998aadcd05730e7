"""The dates the Stalking Protection Act 2019 sets. Pure functions: no database, no clock."""

from __future__ import annotations

import datetime

# s9: notify "before the end of the period of 3 days beginning with" the day of service (or of
# the change). The day itself is the first of the three; calendar days, so weekends and bank
# holidays count like any other day (service on a Friday is due by the end of Sunday).
NOTIFICATION_DAYS = 3

# s5: a full order has effect for a fixed period of at least 2 years, or until further order.
MINIMUM_FULL_YEARS = 2


def notification_due_on(starts_on: datetime.date) -> datetime.date:
    """The last day on which the notification is still in time."""
    return starts_on + datetime.timedelta(days=NOTIFICATION_DAYS - 1)


def years_after(start: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def earliest_full_order_end(made_on: datetime.date) -> datetime.date:
    """The first end date a fixed-term full order may have."""
    return years_after(made_on, MINIMUM_FULL_YEARS)
