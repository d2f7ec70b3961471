from django.core.management.base import CommandError

from powerlist.api import services
from powerlist.api.models import ApiToken
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import User


class Command(PowerlistCommand):
    help = ("API tokens: `create USERNAME --name NAME` prints the key once; `revoke ID`; `list`. "
            "Requests send the key as `Authorization: Bearer <key>` and act with that user's role and scope.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user and print its key")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for, e.g. the calling system")
        self.add_actor_argument(create)
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int)
        self.add_actor_argument(revoke)
        sub.add_parser("list", help="list tokens (never their keys)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"没有名为“{options['username']}”的用户")
            token, key = services.create_token(self.actor(options), user, options["name"])
            self.stderr.write(f"已为 {user.get_username()} 创建令牌 {token.pk}（{token.name}）；"
                              f"密钥只在此时显示一次：")
            self.stdout.write(key)
        elif action == "revoke":
            token = services.revoke_token(self.actor(options), options["id"])
            self.stdout.write(f"已吊销 {token.user.get_username()} 的令牌 {token.pk}（{token.name}）")
        else:
            for t in ApiToken.objects.select_related("user").order_by("pk"):
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用"
                self.stdout.write(f"{t.pk}\t{t.user.get_username()}\t{t.name}\t{t.created_at:%Y-%m-%d %H:%M}\t{used}")
