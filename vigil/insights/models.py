"""Insights keeps no personal data: areas (groups of teams) and figures already counted."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Team
from vigil.common.models import UUIDModel


class Area(UUIDModel):
    """A policing area: the teams whose cases its figures count. Forces draw areas differently,
    so they are data an administrator keeps, not code."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    teams = models.ManyToManyField(Team, related_name="insight_areas", verbose_name=_("teams"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FigureSnapshot(models.Model):
    """The dashboard's figures for one choice of period, team and area, worked out once and
    shown to everyone who sees the whole force, so the page stays fast on a force's whole
    history. Counts only: no case, person or reference is kept here."""

    key = models.CharField(max_length=200, unique=True)
    computed_at = models.DateTimeField(db_index=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return self.key
