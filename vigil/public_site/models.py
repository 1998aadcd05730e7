from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.common.fields import EncryptedTextField
from vigil.common.models import UUIDModel
from vigil.public_site.hours import Period


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class HelpService(UUIDModel):
    """A place to get help, listed on the "Get help" page. The force edits these in the admin."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    helps_with = models.TextField(_("what they help with"))
    phone = models.CharField(_("phone number"), max_length=50, blank=True)
    phone_note = models.CharField(
        _("about the phone number"), max_length=200, blank=True, help_text=_("For example: free")
    )
    text_relay = models.CharField(
        _("text relay or text phone"),
        max_length=200,
        blank=True,
        help_text=_("For example: 18001 101 from a text phone or the Relay UK app"),
    )
    web_url = models.CharField(
        _("web address"),
        max_length=500,
        blank=True,
        help_text=_("A full address (https://...) or a page on this site (/report/)"),
    )
    web_label = models.CharField(_("link text"), max_length=200, blank=True)
    is_emergency = models.BooleanField(_("emergency"), default=False)
    always_open = models.BooleanField(_("open 24 hours, every day"), default=False)
    closed_on_bank_holidays = models.BooleanField(_("closed on bank holidays"), default=True)
    hours_note = models.CharField(
        _("about opening hours"),
        max_length=200,
        blank=True,
        help_text=_("Shown when no hours are given, for example: check their website"),
    )
    position = models.PositiveIntegerField(_("order on the page"), default=100)
    is_listed = models.BooleanField(_("show on the site"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("help service")

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.web_url.startswith(("http://", "https://"))

    @property
    def has_hours(self) -> bool:
        return self.always_open or bool(self.periods.all())

    def opening_periods(self) -> list[Period]:
        return [Period(p.weekday, p.opens, p.closes) for p in self.periods.all()]


class OpeningPeriod(models.Model):
    """One opening of a help service on one weekday, in UK time."""

    service = models.ForeignKey(HelpService, on_delete=models.CASCADE, related_name="periods")
    weekday = models.IntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening time")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_period_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NEITHER = "neither", _("Neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")


class Feedback(UUIDModel):
    """What a visitor thought of the service. We ask for no personal data, but people may still
    write some in the comments, so the comments are encrypted at rest."""

    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    comments = EncryptedTextField(_("comments"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.created_at:%Y-%m-%d})"


class PageViewDay(models.Model):
    """How many times a public page was shown on one day. Nothing else: no time of day, no
    cookie, no address, no browser, no identifier of any kind (not even a hash), so no visit
    can be traced back to a visitor (see vigil/public_site/usage.py)."""

    day = models.DateField()
    page = models.CharField(max_length=120)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "page"], name="page_view_day_once")]

    def __str__(self) -> str:
        return f"{self.page} {self.day}: {self.views}"


class JourneyStepDay(models.Model):
    """How many report journeys reached one question page on one day: each journey is counted
    once per page, the first time it gets there, so comms can see where people give up."""

    day = models.DateField()
    step = models.CharField(max_length=60)
    journeys = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "step"], name="journey_step_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.day}: {self.journeys}"
