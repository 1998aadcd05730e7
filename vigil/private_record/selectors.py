"""What the coordinator may see of private records: the matches, and in each only what every
holder has released. A report or a case in a match is named only once a record holder in it has
agreed to share something: until then, naming it would tell staff whom the record is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vigil.accounts.home import HomePanel
from vigil.accounts.models import Role
from vigil.private_record.models import Match, MatchMember, SourceKind
from vigil.reporting.models import Report


@dataclass(frozen=True)
class MemberView:
    source: str
    consented: bool
    released: dict[str, Any] = field(default_factory=dict)
    source_id: str = ""


@dataclass(frozen=True)
class MatchView:
    match: Match
    members: list[MemberView]

    @property
    def records(self) -> int:
        return sum(1 for m in self.members if m.source == SourceKind.RECORD)


def _source_label(member: MatchMember, user: Any) -> str:
    """A report by its reference, when it is in the coordinator's scope; a case by its id."""
    if member.source == SourceKind.REPORT:
        report = Report.objects.visible_to(user).filter(pk=member.source_id).first()
        return report.reference if report is not None else ""
    return str(member.source_id)


def _member_view(member: MatchMember, *, anyone_consented: bool, user: Any) -> MemberView:
    if member.source == SourceKind.RECORD:
        return MemberView(
            source=member.source,
            consented=member.consented_at is not None,
            released=dict(member.released or {}) if member.consented_at else {},
        )
    return MemberView(
        source=member.source,
        consented=False,
        source_id=_source_label(member, user) if anyone_consented else "",
    )


def matches_for_coordinator(*, user: Any) -> list[MatchView]:
    if not user.has_role(Role.COORDINATOR):
        return []
    views = []
    for match in Match.objects.prefetch_related("members").order_by("-created_at"):
        members = sorted(match.members.all(), key=lambda m: (m.source, m.created_at))
        anyone = any(m.consented_at for m in members if m.source == SourceKind.RECORD)
        views.append(
            MatchView(
                match=match,
                members=[_member_view(m, anyone_consented=anyone, user=user) for m in members],
            )
        )
    return views


def matches_panel(user: Any) -> HomePanel | None:
    """On the coordinator's home page: how many matches there are, and how many holders in them
    have shared something (counts only; the detail is on the matches page, which is audited)."""
    if not user.has_role(Role.COORDINATOR):
        return None
    members = MatchMember.objects.filter(source=SourceKind.RECORD)
    return HomePanel(
        template="private_record/_home_panel.html",
        context={
            "matches": Match.objects.count(),
            "shared": members.filter(consented_at__isnull=False).count(),
        },
    )
