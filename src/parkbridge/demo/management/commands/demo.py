from typing import Any

from django.core.management.base import BaseCommand

from parkbridge.demo.services import DEMO_LOGINS, demo_load


class Command(BaseCommand):
    help = "Load (or refresh) the demo dataset and print the demo logins. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_load()
        for kind in sorted(set(report.created) | set(report.updated)):
            self.stdout.write(
                f"{kind}: {report.created.get(kind, 0)} created, "
                f"{report.updated.get(kind, 0)} updated"
            )
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<28} {login.password:<22} {login.description}")
