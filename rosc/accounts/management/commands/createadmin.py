import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rosc.accounts.models import Organization
from rosc.accounts.roles import Role
from rosc.accounts.services import membership_create, organization_create, user_create


class Command(BaseCommand):
    help = (
        "Create a network administrator: a superuser who belongs to the state office "
        "organization (made if missing) with the network administrator role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--organization",
            default="State Office of Recovery Support",
            help="Name of the state office organization to join.",
        )
        parser.add_argument("--password", help="Read from the prompt when not given.")

    def handle(self, *args: object, **opts: str) -> None:
        password = opts["password"] or getpass.getpass("Password: ")
        if len(password) < 12:
            raise CommandError("password: use at least 12 characters")
        org = Organization.objects.filter(name=opts["organization"]).first()
        try:
            if org is None:
                org = organization_create(
                    name=opts["organization"], kind=Organization.Kind.STATE_OFFICE
                )
            user = user_create(
                username=opts["username"], email=opts["email"], password=password, is_superuser=True
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        membership_create(user=user, organization=org, role=Role.NETWORK_ADMIN)
        self.stdout.write(
            f"Created network administrator {user.username} at {org.name}. "
            "They set up a second factor at first sign-in."
        )
