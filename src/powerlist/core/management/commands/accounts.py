from powerlist.core.management.base import PowerlistCommand
from powerlist.core.services import users


class Command(PowerlistCommand):
    help = ("User accounts. `unlock USERNAME` lifts a lock-out after failed sign-ins (recorded in the "
            "audit log); `locked` lists the user names locked out now.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        unlock = sub.add_parser("unlock", help="lift the lock-out of a user name")
        unlock.add_argument("username")
        self.add_actor_argument(unlock)
        sub.add_parser("locked", help="list the user names locked out now")

    def handle(self, *args, **options):
        if options["action"] == "unlock":
            removed = users.unlock(self.actor(options), options["username"])
            self.stdout.write(f"{options['username']}：已清除 {removed} 条登录失败记录"
                              if removed else f"{options['username']} 没有被锁定")
        else:
            for username, ip, failures in users.locked_out():
                self.stdout.write(f"{username}\t{ip}\t{failures}")
