import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from rosc.accounts.models import Organization, User
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
            default="",
            help="Name of the state office organization to join (default: the existing state "
            "office, or a new 'State Office of Recovery Support').",
        )
        parser.add_argument("--password", help="Read from the prompt when not given.")

    def handle(self, *args: object, **opts: str) -> None:
        password = opts["password"] or getpass.getpass("Password: ")
        if len(password) < 12:
            raise CommandError("password: use at least 12 characters")
        try:
            # The same rules as every other password (common, all-digit, like the username).
            validate_password(password, User(username=opts["username"], email=opts["email"]))
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from exc
        try:
            with transaction.atomic():
                user, org = self._create(opts, password)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(
            f"Created network administrator {user.username} at {org.name}. "
            "They set up a second factor at first sign-in."
        )

    def _create(self, opts: dict[str, str], password: str) -> tuple[User, Organization]:
        offices = Organization.objects.filter(kind=Organization.Kind.STATE_OFFICE)
        org = offices.filter(name=opts["organization"]).first() if opts["organization"] else None
        if org is None and not opts["organization"]:
            org = offices.order_by("created_at").first()
        if org is None:
            org = organization_create(
                name=opts["organization"] or "State Office of Recovery Support",
                kind=Organization.Kind.STATE_OFFICE,
            )
        user = user_create(
            username=opts["username"], email=opts["email"], password=password, is_superuser=True
        )
        membership_create(user=user, organization=org, role=Role.NETWORK_ADMIN)
        return user, org
