"""Test data factories, in one place."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
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


# News -----------------------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return timezone.now()


class NewsItemFactory(DjangoModelFactory):
    """A published news item with an English text; `texts=[{...}]` for others,
    `published_at=None` for a draft."""

    class Meta:
        model = "news.NewsItem"
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"news-{n}")
    publisher = factory.SubFactory(OrganizationFactory)
    published_at = factory.LazyFunction(_now)

    @factory.post_generation
    def texts(self, create: bool, extracted: list[dict[str, str]] | None, **kwargs: object) -> None:
        if not create:
            return
        default = [{"language": "en", "title": f"News {self.slug}", "body": "What happened."}]
        for values in default if extracted is None else extracted:
            NewsTranslationFactory(item=self, **values)


class NewsTranslationFactory(DjangoModelFactory):
    class Meta:
        model = "news.NewsTranslation"

    item = factory.SubFactory(NewsItemFactory, texts=[])
    language = "en"
    title = factory.Sequence(lambda n: f"News {n}")
    body = "What happened."


class AgreementFactory(DjangoModelFactory):
    """An agreement stored as it is, without the services' checks: pass `parties` (the owner
    is always one) and, for NDAs, `granted_projects`."""

    class Meta:
        model = "agreements.Agreement"
        skip_postgeneration_save = True

    kind = "cooperation"
    title = factory.Sequence(lambda n: f"Agreement {n}")
    language = "en"
    owner = factory.SubFactory(OrganizationFactory)
    status = "draft"
    confidentiality = "restricted"

    @factory.post_generation
    def parties(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create:
            self.parties.set({self.owner, *(extracted or [])})

    @factory.post_generation
    def granted_projects(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.granted_projects.set(extracted)


class AgreementDocumentFactory(DjangoModelFactory):
    class Meta:
        model = "agreements.AgreementDocument"

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="signed.pdf", data=b"%PDF-1.7\n%test\n")
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)


# Brokerage events (events/brokerage.py): an event of kind "brokerage" and its participants,
# slots and meeting requests. Times are on 20 May 2031 (UTC).


def brokerage_time(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2031, 5, 20, hour, 0, tzinfo=datetime.UTC) + datetime.timedelta(
        minutes=minute
    )


def _minutes_after(moment: datetime.datetime, minutes: int) -> datetime.datetime:
    return moment + datetime.timedelta(minutes=minutes)


class BrokerageEventFactory(DjangoModelFactory):
    class Meta:
        model = "events.Event"

    slug = factory.Sequence(lambda n: f"brokerage-{n}")
    kind = "brokerage"
    title = factory.Sequence(lambda n: f"Brokerage event {n}")
    language = "en"
    starts_at = factory.LazyFunction(lambda: brokerage_time(8))
    ends_at = factory.LazyFunction(lambda: brokerage_time(18))
    place = "Technopark Hall A"
    host = factory.SubFactory(OrganizationFactory)
    confidentiality = "network"
    meeting_minutes = 30
    tables = 5
    default_meeting_limit = 4


class MeetingSlotFactory(DjangoModelFactory):
    """Consecutive 30-minute slots from 9:00 (pass starts_at for another time)."""

    class Meta:
        model = "events.MeetingSlot"

    event = factory.SubFactory(BrokerageEventFactory)
    starts_at = factory.Sequence(lambda n: brokerage_time(9, 30 * n))
    ends_at = factory.LazyAttribute(lambda o: _minutes_after(o.starts_at, 30))


class BrokerageParticipantFactory(DjangoModelFactory):
    class Meta:
        model = "events.Participant"
        skip_postgeneration_save = True

    event = factory.SubFactory(BrokerageEventFactory)
    person = factory.SubFactory(PersonFactory)
    offering = "We offer pilot sites for new materials."
    seeking = "We look for partners in advanced materials."
    profile_language = "en"

    @factory.post_generation
    def available_slots(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        """Every slot of the event unless a list is given."""
        if create:
            slots = extracted if extracted is not None else list(self.event.slots.all())
            self.available_slots.set(slots)


class MeetingRequestFactory(DjangoModelFactory):
    class Meta:
        model = "events.MeetingRequest"

    requester = factory.SubFactory(BrokerageParticipantFactory)
    invitee = factory.SubFactory(
        BrokerageParticipantFactory, event=factory.SelfAttribute("..requester.event")
    )
    event = factory.LazyAttribute(lambda o: o.requester.event)
    priority = 1
    status = "pending"


# Events (events/services.py): a visit, meeting or conference with participants, agenda and
# outcomes. By default a network-visible meeting on 15 September 2031, 10:00–13:00 UTC.


def event_time(hour: int, minute: int = 0, *, day: int = 15) -> datetime.datetime:
    return datetime.datetime(2031, 9, day, hour, minute, tzinfo=datetime.UTC)


class EventFactory(DjangoModelFactory):
    """Pass `visiting_organizations=[...]` for the visitors."""

    class Meta:
        model = "events.Event"
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = "meeting"
    title = factory.Sequence(lambda n: f"Meeting {n}")
    language = "en"
    starts_at = factory.LazyFunction(lambda: event_time(10))
    ends_at = factory.LazyFunction(lambda: event_time(13))
    place = "Technopark, room 101"
    city = "Saint Petersburg"
    country = "RU"
    host = factory.SubFactory(OrganizationFactory)
    confidentiality = "network"

    @factory.post_generation
    def visiting_organizations(
        self, create: bool, extracted: list | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.visiting_organizations.set(extracted)


class EventParticipantFactory(DjangoModelFactory):
    class Meta:
        model = "events.Participant"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    role = "attendee"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = "events.AgendaItem"

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = "events.Outcome"

    event = factory.SubFactory(EventFactory)
    text = factory.Sequence(lambda n: f"Outcome {n}")
    position = factory.Sequence(lambda n: n)
