"""`manage.py check_data [--all]`: the data-health findings (races/health.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from races import health
from races.models import FindingExplanation


class Command(BaseCommand):
    help = (
        "List the open findings of the data-health rules (races/health.py): the number per "
        "rule, then one line per finding. --all lists the explained ones too, with their "
        "reason. Exits with status 1 while any finding is open, so CI can run it after "
        "load_demo; 0 when none is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Also list the explained findings.")

    def handle(self, *args, all=False, **options):
        started = time.monotonic()
        rules = health.report(health.all_findings(), FindingExplanation.objects.all())
        open_count = sum(len(rule.open) for rule in rules)
        width = max(len(rule.code) for rule in rules)
        for rule in rules:
            self.stdout.write(
                f"{rule.code:<{width}}  {len(rule.open):>4} open  "
                f"{len(rule.explained):>4} explained"
            )
        for rule in rules:
            lines = [f"  open  {f.key}: {f.message}" for f in rule.open]
            if all:
                lines += [
                    f"  explained  {f.key}: {f.message} ({e.reason})" for f, e in rule.explained
                ]
            if lines:
                self.stdout.write(f"\n{rule.code} ({rule.title}):")
                self.stdout.write("\n".join(lines))
        self.stdout.write(
            f"\n{open_count} open, {sum(len(r.explained) for r in rules)} explained, in "
            f"{time.monotonic() - started:.1f} s."
        )
        if open_count:
            raise CommandError(f"{open_count} findings are open.", returncode=1)
