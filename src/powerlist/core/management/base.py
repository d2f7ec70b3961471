"""Shared behaviour of powerlist's commands: who is acting, and domain errors as clean
messages with a non-zero exit instead of tracebacks."""

from django.core.management.base import BaseCommand, CommandError

from powerlist.core.errors import DomainError, InvalidInput
from powerlist.core.models import User
from powerlist.core.scope import SYSTEM, SystemActor


class PowerlistCommand(BaseCommand):
    def add_actor_argument(self, parser):
        parser.add_argument("--as", dest="actor", metavar="USERNAME",
                            help="act as this user, with that user's role and scope "
                                 "(default: the console operator, recorded as 'system')")

    def actor(self, options) -> User | SystemActor:
        name = options.get("actor")
        if not name:
            return SYSTEM
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为“{name}”的在用用户（--as 应为已启用账户的用户名）")
        return user

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except InvalidInput as exc:
            raise CommandError(exc.summary(limit=200)) from None
        except DomainError as exc:
            raise CommandError(str(exc)) from None
