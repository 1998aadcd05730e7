from __future__ import annotations

from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.models import Agency, Role, Team, User

TEST_PASSWORD = "correct horse battery staple"


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = "Test Police"
    kind = Agency.Kind.POLICE


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("agency", "name")

    agency = factory.SubFactory(AgencyFactory)
    name = "Public Protection Unit"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"officer{n}@test.police.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.INVESTIGATOR
    agency = factory.SubFactory(AgencyFactory)
    team = factory.SubFactory(TeamFactory, agency=factory.SelfAttribute("..agency"))
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def add_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
