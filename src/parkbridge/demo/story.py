"""The demo's story of 2026, as records: the April visit to Tsinghua University Science Park
and the cooperation agreement signed there, the two summer visits of Chinese technology parks,
the 15 September meeting with the Wuxi branch (minutes, the directions for cooperation it
identified, the task and the cooperation they became), the November news item; and around it
the agreements registry and a brokerage day with its 1:1 meetings scheduled."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from parkbridge.agreements import services as agreement_services
from parkbridge.agreements.models import Agreement
from parkbridge.demo.cooperation import ADMIN_LOGIN, SPBPU_LOGIN, WUXI_LOGIN, moment, user
from parkbridge.events import brokerage
from parkbridge.events import services as event_services
from parkbridge.events.models import Event, MeetingRequest, Participant
from parkbridge.news import services as news_services
from parkbridge.news.models import NewsItem
from parkbridge.pipeline.models import Cooperation
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization, Person

if TYPE_CHECKING:
    from parkbridge.demo.services import DemoReport


def org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def orgs(*slugs: str) -> list[Organization]:
    return [org(slug) for slug in slugs]


def person(slug: str) -> Person:
    return Person.objects.get(slug=slug)


# Agreements ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAgreement:
    title: str
    kind: str
    owner: str
    parties: list[str]
    status: str
    summary: str
    actor: str = SPBPU_LOGIN
    language: str = "en"
    signed_on: str = ""
    signed_place: str = ""
    valid_from: str = ""
    valid_until: str = ""
    valid_for_days: int | None = None  # from today, for reminders that stay current
    confidentiality: str = "public"
    cooperations: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    granted_projects: list[str] = field(default_factory=list)


APRIL_AGREEMENT = "Cooperation agreement between SPbPU and Tsinghua University Science Park"

AGREEMENTS = [
    DemoAgreement(
        title=APRIL_AGREEMENT,
        kind="cooperation",
        owner="spbpu",
        parties=["spbpu", "tuspark"],
        status="signed",
        signed_on="2026-04-15",
        signed_place="Beijing, Tsinghua University Science Park",
        valid_from="2026-04-15",
        valid_until="2031-04-14",
        summary=(
            "Framework for cooperation between the university and the science park: joint "
            "incubation of startups, soft landing of technology companies in both countries, "
            "shared use of research facilities, joint events and exchange of staff."
        ),
        actor=ADMIN_LOGIN,
        cooperations=["Russian-Chinese soft-landing accelerator in Wuxi"],
    ),
    DemoAgreement(
        title="Меморандум о взаимопонимании с Научным парком Чжунгуаньцунь",
        kind="memorandum",
        owner="spbpu-technopark",
        parties=["spbpu-technopark", "zhongguancun"],
        status="signed",
        language="ru",
        signed_on="2024-05-20",
        signed_place="Пекин",
        valid_from="2024-05-20",
        valid_for_days=40,
        summary=(
            "Обмен информацией о стартапах, совместные демо-дни и взаимная поддержка "
            "резидентов при выходе на рынки России и Китая."
        ),
    ),
    DemoAgreement(
        title="NDA: sodium-ion storage project for Lingyun Capital",
        kind="nda",
        owner="spbpu-technopark",
        parties=["spbpu-technopark", "lingyun-capital"],
        status="signed",
        signed_on="2026-08-20",
        signed_place="St. Petersburg (signed electronically)",
        valid_from="2026-08-20",
        valid_until="2028-08-19",
        confidentiality="restricted",
        summary=(
            "Mutual non-disclosure for the due diligence of the NatriyEnergo sodium-ion "
            "battery project; opens the restricted project to Lingyun Capital while in force."
        ),
        cooperations=["Sodium-ion storage: investment talks with Lingyun Capital"],
        granted_projects=["ru-natriy-akkum"],
    ),
    DemoAgreement(
        title="Research contract: cold-climate hydrogen joint laboratory",
        kind="research_contract",
        owner="spbpu",
        parties=["spbpu", "huaxin-hydrogen", "tuspark-wuxi"],
        status="signed",
        signed_on="2026-10-20",
        signed_place="Wuxi",
        valid_from="2026-11-01",
        valid_until="2029-10-31",
        confidentiality="network",
        summary=(
            "Three-year joint research on fuel cells and hydrogen storage at −40 °C, with a "
            "test site in Wuxi and one in St. Petersburg."
        ),
        cooperations=["Cold-climate hydrogen joint laboratory (Wuxi — St. Petersburg)"],
        projects=["zh-joint-cold-climate-hydrogen-lab"],
    ),
    DemoAgreement(
        title="Licence: hybrid laser-arc welding process",
        kind="licence",
        owner="ural-laser-systems",
        parties=["ural-laser-systems", "jiangsu-robotics"],
        status="signed",
        signed_on="2026-06-30",
        signed_place="Changzhou",
        valid_from="2026-07-01",
        valid_until="2033-06-30",
        confidentiality="restricted",
        actor=ADMIN_LOGIN,
        summary="Non-exclusive licence for the CIS and China markets, with royalties per cell.",
        cooperations=["Hybrid laser-arc welding robot cell"],
        projects=["ru-tech-gibridnaya-svarka-trub"],
    ),
    DemoAgreement(
        title="Founding agreement of the Sino-Russian Innovation Centre (Wuxi)",
        kind="founding",
        owner="spbpu-technopark",
        parties=["spbpu-technopark", "tuspark-wuxi", "tuspark"],
        status="signed",
        signed_on="2026-05-10",
        signed_place="Wuxi",
        valid_from="2026-05-10",
        confidentiality="network",
        summary="Joint centre that hosts Russian startups in Wuxi and Chinese ones in St. Petersburg.",
        cooperations=["Russian-Chinese soft-landing accelerator in Wuxi"],
        projects=["ru-joint-technopark-tuspark-wuxi-softlanding"],
    ),
    DemoAgreement(
        title="Memorandum on laser welding research with HIT (2021–2025)",
        kind="memorandum",
        owner="spbpu",
        parties=["spbpu", "hit"],
        status="signed",
        signed_on="2021-11-20",
        signed_place="Harbin",
        valid_from="2021-11-20",
        valid_for_days=-12,
        summary="Exchange of researchers and joint supervision of PhD students in laser welding.",
        cooperations=["Laser welding of aluminium battery trays with HIT"],
    ),
    DemoAgreement(
        title="Cooperation agreement between SPbPU and Tsinghua Science Park (Wuxi)",
        kind="cooperation",
        owner="spbpu",
        parties=["spbpu", "tuspark-wuxi"],
        status="negotiation",
        confidentiality="network",
        summary=(
            "Draft following the 15 September meeting: joint launch of technical developments "
            "on the world market, sources of finance, access to the university's research "
            "facilities, involvement of international companies."
        ),
    ),
]


def load_agreements(report: DemoReport) -> None:
    today = timezone.localdate()
    for row in AGREEMENTS:
        if Agreement.objects.filter(title=row.title).exists():
            report.count("agreements", False)
            continue
        valid_until = (
            today + datetime.timedelta(days=row.valid_for_days)
            if row.valid_for_days is not None
            else _day(row.valid_until)
        )
        agreement_services.agreement_create(
            actor=user(row.actor),
            owner=org(row.owner),
            parties=orgs(*row.parties),
            cooperations=Cooperation.objects.filter(title__in=row.cooperations),
            projects=Project.objects.filter(slug__in=row.projects),
            granted_projects=Project.objects.filter(slug__in=row.granted_projects),
            kind=row.kind,
            title=row.title,
            summary=row.summary,
            language=row.language,
            status=row.status,
            signed_on=_day(row.signed_on),
            signed_place=row.signed_place,
            valid_from=_day(row.valid_from),
            valid_until=valid_until,
            confidentiality=row.confidentiality,
        )
        report.count("agreements", True)


def _day(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# Visits and meetings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    kind: str
    title: str
    host: str
    visitors: list[str]
    starts: tuple[str, str]
    ends: tuple[str, str]
    place: str
    city: str
    country: str
    description: str
    actor: str = SPBPU_LOGIN
    participants: list[tuple[str, str, str]] = field(default_factory=list)  # person, org, role
    agenda: list[tuple[str, str, str, str]] = field(default_factory=list)  # from, to, title, who
    minutes: str = ""
    outcomes: list[str] = field(default_factory=list)


SEPTEMBER_MEETING = "tuspark-wuxi-visit-2026-09-15"

EVENTS = [
    DemoEvent(
        slug="spbpu-delegation-tuspark-2026-04",
        kind="delegation_visit",
        title="SPbPU delegation visits Tsinghua University Science Park",
        host="tuspark",
        visitors=["spbpu", "spbpu-ico", "spbpu-technopark"],
        starts=("2026-04-14", "10:00"),
        ends=("2026-04-16", "17:00"),
        place="Tsinghua University Science Park, Haidian District",
        city="Beijing",
        country="CN",
        actor=ADMIN_LOGIN,
        description=(
            "A delegation of Peter the Great St. Petersburg Polytechnic University visits the "
            "science park of Tsinghua University: its incubators, the Wuxi branch's programmes "
            "and the signing of a cooperation agreement."
        ),
        participants=[
            ("khizhnyak-vd", "spbpu-ico", "guest"),
            ("rayak-me", "spbpu-technopark", "guest"),
            ("morozova-ea", "spbpu-ico", "guest"),
            ("sun-lixin", "tuspark", "host"),
            ("huang-jing", "tuspark", "host"),
        ],
        agenda=[
            ("2026-04-14T10:00", "2026-04-14T12:00", "Tour of the TusPark incubator", "huang-jing"),
            (
                "2026-04-15T11:00",
                "2026-04-15T12:00",
                "Signing of the cooperation agreement",
                "sun-lixin",
            ),
            ("2026-04-16T10:00", "2026-04-16T13:00", "Startup pitches of both parks", "rayak-me"),
        ],
        minutes=(
            "The parties signed a cooperation agreement covering joint incubation, soft landing "
            "of companies in both countries and shared research facilities. TusPark proposed "
            "that its Wuxi branch leads the practical work."
        ),
        outcomes=["Cooperation agreement signed", "The Wuxi branch leads the practical work"],
    ),
    DemoEvent(
        slug="zhongguancun-delegation-2026-06",
        kind="delegation_visit",
        title="Zhongguancun Science Park delegation at Technopark Polytechnic",
        host="spbpu-technopark",
        visitors=["zhongguancun"],
        starts=("2026-06-24", "10:00"),
        ends=("2026-06-24", "16:00"),
        place="Technopark Polytechnic, 29 Polytechnicheskaya St.",
        city="St. Petersburg",
        country="RU",
        description="Projects of the technopark's residents and business contacts with Beijing.",
        participants=[
            ("rayak-me", "spbpu-technopark", "host"),
            ("zaytseva-iv", "spbpu-technopark", "host"),
            ("ma-lihua", "zhongguancun", "guest"),
            ("yang-fan", "zhongguancun", "guest"),
        ],
        agenda=[
            (
                "2026-06-24T10:00",
                "2026-06-24T12:00",
                "Pitches of ten resident startups",
                "zaytseva-iv",
            ),
            (
                "2026-06-24T14:00",
                "2026-06-24T16:00",
                "Zhongguancun's programmes for foreign teams",
                "ma-lihua",
            ),
        ],
        outcomes=["Three startups invited to Zhongguancun's scenario programme"],
    ),
    DemoEvent(
        slug="suzhou-shenzhen-delegation-2026-08",
        kind="delegation_visit",
        title="Delegation of Suzhou Industrial Park and Shenzhen Bay park",
        host="spbpu-technopark",
        visitors=["suzhou-sip", "shenzhen-bay-park"],
        starts=("2026-08-12", "10:00"),
        ends=("2026-08-12", "15:00"),
        place="Technopark Polytechnic",
        city="St. Petersburg",
        country="RU",
        description="Second summer visit: hardware startups, pilot production and market entry.",
        participants=[
            ("belov-mo", "spbpu-technopark", "host"),
            ("qian-zhiyuan", "suzhou-sip", "guest"),
            ("liang-jiaxin", "shenzhen-bay-park", "guest"),
        ],
        agenda=[
            ("2026-08-12T10:30", "2026-08-12T12:30", "Visit of the prototyping centre", "belov-mo")
        ],
        outcomes=["Small-batch production offer for two robotics startups"],
    ),
    DemoEvent(
        slug=SEPTEMBER_MEETING,
        kind="delegation_visit",
        title="Representatives of Tsinghua Science Park (Wuxi) visit SPbPU",
        host="spbpu",
        visitors=["tuspark-wuxi"],
        starts=("2026-09-15", "11:00"),
        ends=("2026-09-15", "14:00"),
        place="SPbPU main building, International Office",
        city="St. Petersburg",
        country="RU",
        description=(
            "Representatives of the Wuxi branch of Tsinghua University Science Park discuss "
            "cooperation between the parks."
        ),
        participants=[
            ("khizhnyak-vd", "spbpu-ico", "speaker"),
            ("rayak-me", "spbpu-technopark", "speaker"),
            ("morozova-ea", "spbpu-ico", "host"),
            ("zhou-haibo", "tuspark-wuxi", "guest"),
            ("wu-qian", "tuspark-wuxi", "guest"),
            ("xu-lei", "tuspark-wuxi", "guest"),
        ],
        agenda=[
            (
                "2026-09-15T11:00",
                "2026-09-15T11:40",
                "The university's research focus areas",
                "khizhnyak-vd",
            ),
            (
                "2026-09-15T11:40",
                "2026-09-15T12:20",
                "Startups, mentoring and financial backing at the technopark",
                "rayak-me",
            ),
            (
                "2026-09-15T12:30",
                "2026-09-15T14:00",
                "Directions for cooperation between the parks",
                "zhou-haibo",
            ),
        ],
        minutes=(
            "V. D. Khizhnyak, director of the International Office, presented the university's "
            "research focus areas: new materials, laser and additive technologies, hydrogen "
            "energy, nuclear physics and digital engineering.\n\n"
            "M. E. Rayak, director of Technopark Polytechnic, spoke of the technopark's "
            "startups, its mentoring programme and the financial backing available to "
            "residents.\n\n"
            "Zhou Haibo presented the Wuxi branch's Sino-Russian Innovation Centre and its seed "
            "fund. The meeting ended with specific directions for cooperation (below)."
        ),
        outcomes=[
            "Joint introduction of technical developments and their launch on the world market",
            "Sources of finance for joint projects",
            "Use of the university's research facilities by the Wuxi branch's residents",
            "Involvement of international companies",
        ],
    ),
]


def load_events(report: DemoReport) -> None:
    for row in EVENTS:
        if Event.objects.filter(slug=row.slug).exists():
            report.count("events", False)
            continue
        actor = user(row.actor)
        event = event_services.event_create(
            actor=actor,
            host=org(row.host),
            visiting_organizations=orgs(*row.visitors),
            slug=row.slug,
            kind=row.kind,
            title=row.title,
            description=row.description,
            language="en",
            starts_at=moment(*row.starts),
            ends_at=moment(*row.ends),
            place=row.place,
            city=row.city,
            country=row.country,
            confidentiality="public",
        )
        for person_slug, organization_slug, role in row.participants:
            event_services.participant_add(
                actor=actor,
                event=event,
                person=person(person_slug),
                organization=org(organization_slug),
                role=role,
            )
        for starts, ends, title, speaker in row.agenda:
            event_services.agenda_item_add(
                actor=actor,
                event=event,
                starts_at=moment(*starts.split("T")),
                ends_at=moment(*ends.split("T")),
                title=title,
                speaker=person(speaker),
            )
        if row.minutes:
            event_services.minutes_save(actor=actor, event=event, text=row.minutes, language="en")
        for position, text in enumerate(row.outcomes):
            event_services.outcome_add(actor=actor, event=event, text=text, position=position)
        report.count("events", True)
    _follow_up_september_meeting()


def _follow_up_september_meeting() -> None:
    """Two directions of 15 September became work: a cooperation and a task."""
    event = Event.objects.get(slug=SEPTEMBER_MEETING)
    actor = user(SPBPU_LOGIN)
    outcomes = list(event.outcomes.order_by("position"))
    if outcomes[0].cooperation_id is None:
        event_services.outcome_to_cooperation(
            actor=actor, outcome=outcomes[0], organizations=orgs("spbpu", "tuspark-wuxi")
        )
    if outcomes[2].task_id is None:
        event_services.outcome_to_task(
            actor=actor,
            outcome=outcomes[2],
            organization=org("spbpu"),
            assignee=actor,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
            title="Send the Wuxi branch the list of research facilities open to partners",
        )


# Brokerage day --------------------------------------------------------------------------------

BROKERAGE_EVENT = "ru-cn-technology-brokerage-day-2026"
BROKERAGE_DAY = datetime.date(2026, 12, 10)

# What people look for, by the kind of organization they come from, in their own language.
SEEKING = {
    (
        "investor",
        "ru",
    ): "Инженерные стартапы в водородной энергетике, лазерах и новых материалах для инвестиций и выхода в Китай.",
    ("investor", "zh"): "寻找氢能、激光和新材料领域的俄罗斯硬科技团队，投资并在中国落地。",
    (
        "investor",
        "en",
    ): "Hardware startups in hydrogen, lasers and new materials ready for investment and a pilot in China.",
    (
        "company",
        "ru",
    ): "Технологии и партнёры для совместной разработки, пилотные заказчики в Китае и Центральной Азии.",
    ("company", "zh"): "寻找可合作研发的俄罗斯技术和在独联体市场的试点客户。",
    ("company", "en"): "Technologies to license and partners for joint development and pilots.",
    (
        "technology_park",
        "ru",
    ): "Стартапы и компании для мягкой посадки и совместных акселерационных программ.",
    ("technology_park", "zh"): "寻找愿意入驻园区的俄罗斯和中亚科技企业，以及联合孵化项目。",
    (
        "technology_park",
        "en",
    ): "Startups and companies for soft landing and joint acceleration programmes.",
    (
        "university",
        "ru",
    ): "Промышленные партнёры для совместных исследований, лицензирования и обмена исследователями.",
    ("university", "zh"): "寻找产业伙伴开展联合研究、技术许可和人员交流。",
    (
        "university",
        "en",
    ): "Industrial partners for joint research, licensing and researcher exchange.",
}


def _seeking(person_: Person, organization: Organization | None) -> tuple[str, str]:
    kind = organization.kind if organization is not None else "university"
    kind = kind if kind in {"investor", "company", "technology_park"} else "university"
    language = person_.expertise_language if person_.expertise_language in {"ru", "zh"} else "en"
    return SEEKING[(kind, language)], language


def load_brokerage(report: DemoReport) -> None:
    organizer = user(SPBPU_LOGIN)
    event = Event.objects.filter(slug=BROKERAGE_EVENT).first()
    if event is not None:
        report.count("brokerage events", False)
        return
    event = event_services.event_create(
        actor=organizer,
        host=org("spbpu-technopark"),
        visiting_organizations=orgs("tuspark-wuxi", "zhongguancun", "suzhou-sip", "astana-hub"),
        slug=BROKERAGE_EVENT,
        kind="brokerage",
        title="Russian-Chinese Technology Brokerage Day 2026",
        description=(
            "A day of pre-arranged 1:1 meetings between startups, universities, technology "
            "parks, companies and investors from Russia, China and Central Asia. Register, "
            "say what you offer and what you look for, request meetings; the organizers "
            "schedule the accepted ones."
        ),
        language="en",
        starts_at=moment(BROKERAGE_DAY.isoformat(), "09:00"),
        ends_at=moment(BROKERAGE_DAY.isoformat(), "18:00"),
        place="Technopark Polytechnic, conference hall",
        city="St. Petersburg",
        country="RU",
        confidentiality="public",
        meeting_minutes=25,
        tables=24,
        default_meeting_limit=8,
    )
    slots = brokerage.slots_generate(
        actor=organizer,
        event=event,
        day=BROKERAGE_DAY,
        start=datetime.time(9, 30),
        end=datetime.time(17, 30),
        breaks=[(datetime.time(13, 0), datetime.time(14, 0))],
    )
    people = list(Person.objects.filter(affiliations__isnull=False).distinct().order_by("slug"))[
        :64
    ]
    draw = random.Random(2026)  # the same day every time the demo loads
    participants: list[Participant] = []
    for person_ in people:
        affiliation = person_.affiliations.select_related("organization").first()
        organization = affiliation.organization if affiliation is not None else None
        seeking, language = _seeking(person_, organization)
        morning_only = draw.random() < 0.15
        participants.append(
            brokerage.participant_register(
                actor=organizer,
                event=event,
                person=person_,
                organization=organization,
                offering=person_.expertise,
                seeking=seeking,
                profile_language=language,
                available_slots=[slot for slot in slots if slot.starts_at.hour < 13]
                if morning_only
                else None,
                meeting_limit=draw.choice([6, 8, 8, 10]),
            )
        )
    _request_meetings(organizer, participants, draw)
    brokerage.schedule_run(actor=organizer, event=event, time_limit_s=10)
    brokerage.schedule_announce(actor=organizer, event=event)
    report.count("brokerage events", True)


def _request_meetings(organizer: Any, participants: list[Participant], draw: random.Random) -> None:
    """About six requests per person, mostly across borders; most are accepted."""
    for requester in participants:
        others = [p for p in participants if p.pk != requester.pk]
        foreign = [
            p
            for p in others
            if p.organization is not None
            and requester.organization is not None
            and p.organization.country != requester.organization.country
        ]
        for invitee in draw.sample(foreign or others, k=min(6, len(foreign or others))):
            if MeetingRequest.objects.filter(
                requester__in=[requester, invitee], invitee__in=[requester, invitee]
            ).exists():
                continue
            request = brokerage.meeting_request_send(
                actor=organizer,
                requester=requester,
                invitee=invitee,
                priority=draw.choice([0, 1, 1, 2]),
                message="",
            )
            answer = draw.random()
            if answer < 0.8:
                brokerage.meeting_request_answer(actor=organizer, request=request, accept=True)
            elif answer < 0.9:
                brokerage.meeting_request_answer(actor=organizer, request=request, accept=False)


# News ---------------------------------------------------------------------------------------

NEWS: list[dict[str, Any]] = [
    {
        "slug": "wuxi-branch-visit-directions-for-cooperation",
        "published": ("2026-11-05", "10:00"),
        "organizations": ["spbpu", "spbpu-technopark", "tuspark-wuxi"],
        "events": [SEPTEMBER_MEETING],
        "agreements": [APRIL_AGREEMENT],
        "texts": [
            {
                "language": "en",
                "title": "Tsinghua Science Park's Wuxi branch and SPbPU agree directions for cooperation",
                "lead": (
                    "On 15 September representatives of the Wuxi branch of Tsinghua University "
                    "Science Park visited Peter the Great St. Petersburg Polytechnic University."
                ),
                "body": (
                    "Cooperation with Chinese technology parks has grown quickly this year. In "
                    "April a university delegation visited Tsinghua University Science Park in "
                    "Beijing, where a cooperation agreement was signed. Over the summer "
                    "delegations of Chinese technology parks came to St. Petersburg twice to "
                    "discuss projects and establish business contacts.\n\n"
                    "On 15 September representatives of the park's Wuxi branch visited the "
                    "university to discuss cooperation between the parks. V. D. Khizhnyak, "
                    "director of the International Office, presented the university's research "
                    "focus areas. M. E. Rayak, director of Technopark Polytechnic, spoke of the "
                    "technopark's startups, mentoring and financial backing.\n\n"
                    "The meeting ended with specific directions for cooperation: the joint "
                    "introduction of technical developments and their launch on the world "
                    "market, sources of finance, the use of the university's research "
                    "facilities, and the involvement of international companies."
                ),
            },
            {
                "language": "ru",
                "title": "Филиал Научного парка Университета Цинхуа в Уси и СПбПУ определили направления сотрудничества",
                "lead": (
                    "15 сентября Политехнический университет посетили представители филиала "
                    "Научного парка Университета Цинхуа в городе Уси."
                ),
                "body": (
                    "Сотрудничество с технологическими парками Китая в этом году развивается "
                    "быстро. В апреле делегация университета посетила Научный парк "
                    "Университета Цинхуа в Пекине, где было подписано соглашение о "
                    "сотрудничестве. Летом делегации китайских технопарков дважды приезжали в "
                    "Санкт-Петербург, чтобы обсудить проекты и установить деловые контакты.\n\n"
                    "15 сентября представители филиала парка в Уси посетили университет, чтобы "
                    "обсудить сотрудничество между парками. Директор Управления международного "
                    "сотрудничества В. Д. Хижняк рассказал о приоритетных направлениях "
                    "исследований университета. Директор Технопарка «Политехнический» "
                    "М. Э. Раяк рассказал о стартапах технопарка, наставничестве и финансовой "
                    "поддержке.\n\n"
                    "По итогам встречи определены конкретные направления сотрудничества: "
                    "совместное внедрение технических разработок и их вывод на мировой рынок, "
                    "источники финансирования, использование исследовательской "
                    "инфраструктуры университета и привлечение международных компаний."
                ),
            },
        ],
    },
    {
        "slug": "spbpu-tuspark-cooperation-agreement",
        "published": ("2026-04-17", "12:00"),
        "organizations": ["spbpu", "tuspark"],
        "events": ["spbpu-delegation-tuspark-2026-04"],
        "agreements": [APRIL_AGREEMENT],
        "texts": [
            {
                "language": "en",
                "title": "SPbPU signs a cooperation agreement with Tsinghua University Science Park",
                "body": (
                    "During a visit to Beijing on 14–16 April, a delegation of the university "
                    "signed a cooperation agreement with Tsinghua University Science Park: joint "
                    "incubation, soft landing of companies and shared research facilities."
                ),
            },
            {
                "language": "zh",
                "title": "圣彼得堡理工大学与清华科技园签署合作协议",
                "body": (
                    "4月14日至16日，圣彼得堡彼得大帝理工大学代表团访问北京清华科技园，双方签署合作"
                    "协议，内容包括联合孵化、企业双向软着陆和科研设施共享。"
                ),
            },
        ],
    },
    {
        "slug": "brokerage-day-2026-registration",
        "published": ("2026-11-20", "09:00"),
        "organizations": ["spbpu-technopark"],
        "events": [BROKERAGE_EVENT],
        "agreements": [],
        "texts": [
            {
                "language": "en",
                "title": "Russian-Chinese Technology Brokerage Day on 10 December: meetings scheduled",
                "body": (
                    "Sixty-four participants from Russia, China and Central Asia have registered "
                    "for the brokerage day at Technopark Polytechnic. Personal agendas with "
                    "tables and times are now available to every participant."
                ),
            },
            {
                "language": "ru",
                "title": "Российско-китайский день технологического брокерства 10 декабря: встречи назначены",
                "body": (
                    "На день брокерства в Технопарке «Политехнический» зарегистрировались 64 "
                    "участника из России, Китая и Центральной Азии. Личные расписания встреч "
                    "со столами и временем доступны каждому участнику."
                ),
            },
            {
                "language": "zh",
                "title": "12月10日中俄技术对接日：一对一会谈已排定",
                "body": "来自俄罗斯、中国和中亚的64位参会者已报名。每位参会者现在都可以查看自己的会谈日程。",
            },
        ],
    },
]


def load_news(report: DemoReport) -> None:
    for row in NEWS:
        if NewsItem.objects.filter(slug=row["slug"]).exists():
            report.count("news", False)
            continue
        news_services.news_create(
            actor=user(ADMIN_LOGIN),
            publisher=org(row["organizations"][0]),
            texts=row["texts"],
            organizations=orgs(*row["organizations"]),
            events=Event.objects.filter(slug__in=row["events"]),
            agreements=Agreement.objects.filter(title__in=row["agreements"]),
            published_at=moment(*row["published"]),
            slug=row["slug"],
        )
        report.count("news", True)


def load_story(report: DemoReport) -> None:
    load_events(report)
    load_agreements(report)
    load_brokerage(report)
    load_news(report)


__all__ = ["WUXI_LOGIN", "load_story"]
