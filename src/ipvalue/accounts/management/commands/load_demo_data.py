import os
from typing import Any

from django.core.management.base import BaseCommand

from ipvalue.accounts.demo import demo_accounts_create
from ipvalue.accounts.models import User
from ipvalue.knowledge.demo import demo_facts_create
from ipvalue.stakeholders.demo import demo_stakeholders_create
from ipvalue.surveys.demo import invite_demo_people, load_demo_surveys


class Command(BaseCommand):
    help = "Create demo accounts for each role (idempotent). Their passwords are printed once, when created."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_accounts_create(password=os.environ.get("DEMO_PASSWORD") or None)
        secretariat = User.objects.filter(username="secretariat", is_active=True).first()
        people = demo_stakeholders_create(actor=secretariat) if secretariat else 0
        if people:
            self.stdout.write(f"Demo stakeholders: {people} people in Kazakhstan and Uzbekistan.")
        for survey, link in load_demo_surveys():
            self.stdout.write(f"Demo questionnaire: {survey.title}, try it at {link}")
        demo_facts = demo_facts_create()
        if demo_facts:
            self.stdout.write(f"Knowledge base: {demo_facts} demo facts proposed (flagged as demo, never published).")
        invited = invite_demo_people(secretariat)
        if invited:
            self.stdout.write(f"Project questionnaire published; {invited} demo stakeholders invited (no e-mail sent).")
        if not created:
            self.stdout.write("Demo accounts: already present (passwords were printed when they were created).")
            return
        self.stdout.write(self.style.SUCCESS("Demo accounts created. Note these logins; they are shown only once:"))
        for account, password in created:
            countries = f" ({', '.join(account.countries)})" if account.countries else ""
            self.stdout.write(f"  {account.role:<12} {account.username:<12} {password}{countries}")
        self.stdout.write("Forgot one? `ipvalue changepassword USERNAME` sets a new password.")
