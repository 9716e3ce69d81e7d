"""Test data factories, in one place."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from parkbridge.accounts.models import Membership, MembershipRole, User
from parkbridge.registry.models import Affiliation, Organization, OrganizationKind, Person

TEST_PASSWORD = "correct-horse-battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"organization-{n}")
    name = factory.Sequence(lambda n: f"Organization {n}")
    name_en = factory.LazyAttribute(lambda o: o.name)
    name_language = "en"
    kind = OrganizationKind.UNIVERSITY
    country = "RU"
    city = "Saint Petersburg"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"person-{n}")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    full_name_latin = factory.LazyAttribute(lambda o: o.full_name)
    email = factory.Sequence(lambda n: f"person{n}@contact.example")
    phone = "+7 812 000-00-00"
    languages = factory.LazyFunction(lambda: ["en", "ru"])


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = "Researcher"
    position_en = "Researcher"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.MEMBER
