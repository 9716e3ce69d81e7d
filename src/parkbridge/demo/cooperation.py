"""The demo's cooperation lifecycle: the pipeline with its timelines and tasks, and a lead that
opens from mutual interest in a match.

Dates of the story are fixed (2026); due dates count from the day the demo is loaded, so that
something is always overdue and something is always coming up.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.utils import timezone

from parkbridge.accounts.models import User
from parkbridge.core import permissions
from parkbridge.matching import services as matching_services
from parkbridge.offers.models import Offer
from parkbridge.pipeline import services as pipeline_services
from parkbridge.pipeline.models import Activity, Cooperation, CooperationStage
from parkbridge.portfolio.models import Project
from parkbridge.registry.models import Organization

if TYPE_CHECKING:
    from parkbridge.demo.services import DemoReport

SPBPU_LOGIN = "spbpu@parkbridge.example"
WUXI_LOGIN = "wuxi@parkbridge.example"
ADMIN_LOGIN = "admin@parkbridge.example"


def moment(day: str, time: str = "10:00") -> datetime.datetime:
    """A moment of the story in Moscow time (the demo's home)."""
    naive = datetime.datetime.fromisoformat(f"{day}T{time}")
    return timezone.make_aware(naive, timezone=datetime.timezone(datetime.timedelta(hours=3)))


def user(email: str) -> User:
    return User.objects.get(email=email)


@dataclass(frozen=True)
class DemoActivity:
    kind: str
    when: str
    text: str


@dataclass(frozen=True)
class DemoCooperation:
    title: str
    organizations: list[str]
    stage: str
    opened: str
    actor: str = SPBPU_LOGIN
    project: str = ""
    offer: str = ""
    description: str = ""
    value: str = ""
    currency: str = ""
    next_step: str = ""
    due_in_days: int | None = None
    lost_reason: str = ""
    commercialisation: str = ""
    activities: list[DemoActivity] = field(default_factory=list)
    tasks: list[tuple[str, int | None]] = field(default_factory=list)  # title, due in days


COOPERATIONS = [
    DemoCooperation(
        title="Gidroflex fuel cells × Wuxi Sino-Russian seed fund",
        organizations=["spbpu-technopark", "tuspark-wuxi"],
        project="ru-gidroflex-pem-stacks",
        offer="offer-tuspark-wuxi-sino-russian-seed-fund",
        stage=CooperationStage.NEGOTIATION,
        opened="2026-09-16",
        description=(
            "Seed investment and a pilot production site in Wuxi for the Gidroflex drone fuel "
            "cells, discussed at the 15 September meeting."
        ),
        value="3000000",
        currency="CNY",
        next_step="Agree the term sheet with the seed fund committee",
        due_in_days=6,
        activities=[
            DemoActivity(
                "meeting",
                "2026-09-15",
                "Presented at the Wuxi branch visit; Zhou Haibo asked for a term sheet.",
            ),
            DemoActivity(
                "email", "2026-10-02", "Sent the financial model and the IP summary to Wu Qian."
            ),
            DemoActivity(
                "call",
                "2026-11-12",
                "Call with the fund committee: 3 M CNY for 12 %, pilot line in the Wuxi park.",
            ),
        ],
        tasks=[
            ("Translate the term sheet into Russian", 3),
            ("Check export-control status of the stack design", -2),
        ],
    ),
    DemoCooperation(
        title="Cold-climate hydrogen joint laboratory (Wuxi — St. Petersburg)",
        organizations=["spbpu", "huaxin-hydrogen", "tuspark-wuxi"],
        project="zh-joint-cold-climate-hydrogen-lab",
        stage=CooperationStage.AGREEMENT_SIGNED,
        opened="2026-06-20",
        actor=WUXI_LOGIN,
        value="8500000",
        currency="CNY",
        next_step="Order the climate chamber for the Wuxi site",
        due_in_days=20,
        activities=[
            DemoActivity(
                "meeting", "2026-07-08", "Joint workshop in St. Petersburg on fuel cells at −40 °C."
            ),
            DemoActivity(
                "document", "2026-10-20", "Research contract signed by both universities' rectors."
            ),
        ],
        tasks=[("Nominate two PhD students for the first exchange", 14)],
    ),
    DemoCooperation(
        title="LaserNaplavka: remanufacturing mining equipment with Wuxi",
        organizations=["spbpu-technopark", "tuspark-wuxi"],
        project="ru-lasernaplavka-remont",
        stage=CooperationStage.MEETING_HELD,
        opened="2026-09-15",
        next_step="Send a quote for the mobile cladding station",
        due_in_days=-4,
        activities=[
            DemoActivity(
                "meeting",
                "2026-09-15",
                "Met Xu Lei (incubation); two Jiangsu mines are interested in a pilot.",
            ),
        ],
    ),
    DemoCooperation(
        title="Hybrid laser-arc welding robot cell",
        organizations=["ural-laser-systems", "jiangsu-robotics"],
        project="ru-tech-gibridnaya-svarka-trub",
        offer="offer-jsrobot-oem-laser-vision-integration",
        stage=CooperationStage.COMMERCIALISED,
        commercialisation="licence_sold",
        opened="2026-02-10",
        actor=ADMIN_LOGIN,
        value="180000",
        currency="USD",
        activities=[
            DemoActivity(
                "meeting",
                "2026-03-18",
                "Factory acceptance test of the first robot cell in Changzhou.",
            ),
            DemoActivity(
                "document",
                "2026-06-30",
                "Licence agreement signed: welding process for the CIS and China markets.",
            ),
        ],
    ),
    DemoCooperation(
        title="ShovVision weld inspection for Jiangsu Robotics",
        organizations=["spbpu-technopark", "jiangsu-robotics"],
        project="ru-shovvision-kontrol",
        offer="offer-jsrobot-weld-seam-vision-request",
        stage=CooperationStage.CONTACTED,
        opened="2026-10-28",
        next_step="Demo of the seam-tracking model on Jiangsu's test pieces",
        due_in_days=12,
        activities=[
            DemoActivity(
                "email", "2026-11-03", "Cheng Xue sent 200 images of weld seams for a test."
            )
        ],
    ),
    DemoCooperation(
        title="Sodium-ion storage: investment talks with Lingyun Capital",
        organizations=["spbpu-technopark", "lingyun-capital"],
        project="ru-natriy-akkum",
        offer="offer-lingyun-hardtech-jv-china",
        stage=CooperationStage.NEGOTIATION,
        opened="2026-08-05",
        # The project is restricted to its own technopark: staff registers what the NDA allows.
        actor=ADMIN_LOGIN,
        value="2000000",
        currency="USD",
        next_step="Due diligence visit to the St. Petersburg lab",
        due_in_days=25,
        activities=[
            DemoActivity(
                "document",
                "2026-08-20",
                "NDA signed; the restricted project opened to Lingyun Capital.",
            ),
            DemoActivity(
                "call", "2026-10-14", "Song Kai: joint venture in Jiangsu, 51 % Chinese side."
            ),
        ],
    ),
    DemoCooperation(
        title="Russian-Chinese soft-landing accelerator in Wuxi",
        organizations=["spbpu-technopark", "tuspark-wuxi", "tuspark"],
        project="ru-joint-technopark-tuspark-wuxi-softlanding",
        stage=CooperationStage.ACTIVE,
        opened="2026-04-16",
        next_step="Select the second cohort (8 startups)",
        due_in_days=35,
        activities=[
            DemoActivity("meeting", "2026-05-20", "First cohort of five startups arrived in Wuxi."),
            DemoActivity(
                "note", "2026-09-15", "Wuxi branch confirmed office space for the second cohort."
            ),
        ],
        tasks=[("Publish the call for the second cohort", 5)],
    ),
    DemoCooperation(
        title="Boron-10 neutron detectors with Tsinghua",
        organizations=["spbpu", "tsinghua"],
        project="ru-spbpu-neytron-detektory",
        stage=CooperationStage.LEAD,
        opened="2026-11-10",
        next_step="Ask Wang Jianguo for the beam-time schedule",
        due_in_days=9,
    ),
    DemoCooperation(
        title="AgroCopter spraying drones for Kazakhstan",
        organizations=["spbpu-technopark", "astana-hub"],
        project="ru-agrokopter-spray",
        offer="offer-astana-hub-central-asia-gtm",
        stage=CooperationStage.CLOSED_LOST,
        lost_reason="The 2026 pilot budget of the farm holding was cut; revisit in spring 2027.",
        opened="2026-03-01",
        activities=[
            DemoActivity("call", "2026-05-12", "Pilot with a Kostanay farm holding discussed.")
        ],
    ),
    DemoCooperation(
        title="PoliPowder metal powders with BNTU",
        organizations=["spbpu-technopark", "bntu"],
        project="ru-polipowder-am",
        offer="offer-bntu-metal-powders-am",
        stage=CooperationStage.CONTACTED,
        opened="2026-10-05",
        next_step="Exchange powder samples",
        due_in_days=-1,
    ),
    DemoCooperation(
        title="Laser welding of aluminium battery trays with HIT",
        organizations=["spbpu", "hit"],
        project="ru-joint-spbpu-hit-lazer-alyuminiy",
        stage=CooperationStage.ACTIVE,
        opened="2025-11-20",
        value="4200000",
        currency="RUB",
        next_step="Joint paper for the Harbin welding conference",
        due_in_days=40,
        activities=[
            DemoActivity(
                "meeting",
                "2026-06-03",
                "Six-month review in Harbin; first trays pass the leak test.",
            )
        ],
    ),
    DemoCooperation(
        title="Russian-Chinese technical terms for machine translation",
        organizations=["spbpu", "tuspark-wuxi"],
        project="ru-spbpu-mt-ru-zh-terminy",
        offer="",
        stage=CooperationStage.LEAD,
        opened="2026-11-18",
        next_step="Compare the term bases of both teams",
        due_in_days=15,
    ),
]


def _stage_path(stage: str) -> list[str]:
    """The stages a cooperation passed through to reach `stage`, in order."""
    order = [
        CooperationStage.LEAD,
        CooperationStage.CONTACTED,
        CooperationStage.MEETING_HELD,
        CooperationStage.NEGOTIATION,
        CooperationStage.AGREEMENT_SIGNED,
        CooperationStage.ACTIVE,
    ]
    if stage in order:
        return [str(step) for step in order[1 : order.index(CooperationStage(stage)) + 1]]
    if stage == CooperationStage.COMMERCIALISED:
        return [str(step) for step in order[1:]] + [str(stage)]
    return [str(CooperationStage.CONTACTED), str(stage)]


def demo_pdf(title: str) -> ContentFile[bytes]:
    """A one-page PDF standing in for a scanned document of the story."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")[:90]
    stream = b"BT /F1 12 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "-".join(words[:4]) or "document"
    return ContentFile(body, name=f"{slug}.pdf")


def load_pipeline(report: DemoReport) -> None:
    today = timezone.localdate()
    for row in COOPERATIONS:
        if Cooperation.objects.filter(title=row.title).exists():
            report.count("cooperations", False)
            continue
        actor = user(row.actor)
        cooperation = pipeline_services.cooperation_create(
            actor=actor,
            organizations=Organization.objects.filter(slug__in=row.organizations),
            title=row.title,
            description=row.description,
            project=Project.objects.get(slug=row.project) if row.project else None,
            offer=Offer.objects.get(slug=row.offer) if row.offer else None,
            value=Decimal(row.value) if row.value else None,
            currency=row.currency,
            next_step=row.next_step,
            next_step_due=today + datetime.timedelta(days=row.due_in_days)
            if row.due_in_days is not None
            else None,
        )
        opened = moment(row.opened, "09:00")
        for activity in row.activities:
            pipeline_services.activity_add(
                actor=actor,
                cooperation=cooperation,
                kind=activity.kind,
                text=activity.text,
                happened_at=moment(activity.when, "15:00"),
                attachment=demo_pdf(activity.text) if activity.kind == "document" else None,
            )
        for step in _stage_path(row.stage):
            pipeline_services.cooperation_move(
                actor=actor,
                cooperation=cooperation,
                stage=step,
                lost_reason=row.lost_reason,
                commercialisation=row.commercialisation,
            )
        _spread_stage_changes(cooperation, opened, row.activities)
        for title, due_in_days in row.tasks:
            pipeline_services.task_create(
                actor=actor,
                organization=next(
                    organization
                    for organization in cooperation.organizations.order_by("pk")
                    if permissions.can_contribute_for(actor, organization)
                ),
                cooperation=cooperation,
                title=title,
                assignee=actor if not actor.is_staff else None,
                due_on=today + datetime.timedelta(days=due_in_days)
                if due_in_days is not None
                else None,
            )
        report.count("cooperations", True)
    load_mutual_interest(report)


def _spread_stage_changes(
    cooperation: Cooperation, opened: datetime.datetime, activities: list[DemoActivity]
) -> None:
    """Date the stage changes between the opening and the last recorded activity, as they
    happened, instead of all at the moment the demo was loaded."""
    changes = list(cooperation.activities.filter(kind="stage_change").order_by("id"))
    last = max([moment(a.when, "16:00") for a in activities], default=opened)
    span = max(last - opened, datetime.timedelta(days=len(changes)))
    for position, change in enumerate(changes):
        when = opened + span * position / max(len(changes) - 1, 1)
        Activity.objects.filter(pk=change.pk).update(happened_at=when)
    Cooperation.objects.filter(pk=cooperation.pk).update(
        stage_changed_at=opened + span if len(changes) > 1 else opened
    )


def load_mutual_interest(report: DemoReport) -> None:
    """Both sides mark the same match as interesting, and the lead opens by itself."""
    project = Project.objects.get(slug="ru-energotwin-tes")
    offer = Offer.objects.get(slug="offer-tuspark-wuxi-china-market-entry")
    existed = Cooperation.objects.filter(project=project, offer=offer).exists()
    matching_services.feedback_set(
        actor=user(SPBPU_LOGIN), source=project, target=offer, verdict="interested"
    )
    matching_services.feedback_set(
        actor=user(WUXI_LOGIN), source=offer, target=project, verdict="interested"
    )
    report.count("leads from mutual interest", not existed)


def story_actor() -> Any:
    return user(SPBPU_LOGIN)
