"""Parsing the legal-basis text of real lists into citations.

One cell can hold several laws (numbered, `；`-separated or one per line), each with level tags
(`【行政法规】：`), edition notes (`（根据2020年10月17日……第四次修正）`), document numbers
(`（国发〔2010〕21号）`), article, paragraph and item (`第二十六条第一款`, `第五条第（一）项`,
`第四条 …(四)`, `第55条`) and the quoted text of the article. Titles may come without 《》.
Text that holds no citation gives none, with the note `unparsed`: never an exception.
"""

import re
from dataclasses import asdict, dataclass

from powerlist.laws.numerals import NUMERAL, to_int

LEVEL_TAGS = {"法律": "法律", "行政法规": "行政法规", "地方性法规": "地方性法规", "规章": "规章", "部门规章": "规章",
              "地方政府规章": "规章", "政府规章": "规章", "规范性文件": "规范性文件", "宪法": "宪法",
              "自治条例": "地方性法规", "单行条例": "地方性法规"}

# full-width digits, letters and spaces to half-width, one character for one (positions stay)
_HALF = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                       **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
                       "\u3000": " ", "\u00a0": " ", "\r": "\n", "．": ".", "：": "：", "﹝": "〔", "﹞": "〕"})

_BRACKETED = re.compile(r"《([^《》\n]{2,100})》")
_TITLE_WORDS = r"(?:法|条例|规定|办法|细则|规则|决定|解释|意见|通知|规程|标准)"
_BARE = re.compile(rf"((?:中华人民共和国)?[\u4e00-\u9fff]{{2,40}}?{_TITLE_WORDS})"
                   rf"(?=\s*(?:[（(][^（）()\n]{{1,80}}[）)]\s*)*第\s*{NUMERAL}\s*条)")
_PREFIX = re.compile(r"^(?:依据|根据|按照|依照|参照|违反|执行|见|和|及|与|或者|以及|并|同时)+")
_SELF = re.compile(rf"本{_TITLE_WORDS}$")
_LEVEL = re.compile(r"【\s*([^【】]{2,8}?)\s*】")
_REF = re.compile(rf"第\s*({NUMERAL})\s*条(?:\s*之\s*({NUMERAL}))?")
_PARA = re.compile(rf"\s*第\s*({NUMERAL})\s*款")
_ITEM = re.compile(rf"\s*第?\s*[（(]\s*({NUMERAL})\s*[）)]\s*项?|\s*第\s*({NUMERAL})\s*项")
_ITEM_AFTER_ELLIPSIS = re.compile(rf"^\s*(?:…|\.\.\.|—)+\s*[（(]\s*({NUMERAL})\s*[）)]")
_JOIN = re.compile(r"^[\s、，,和及与或]*$")
_NUMBERING = re.compile(r"(?:^|\n)\s*(?:\d{1,2}[.、．)]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+、)\s*$")
_DOC_NUMBER = re.compile(r"〔\d{4}〕|\[\d{4}\]|令|第\s*\d+\s*号|\d+号")
_EDITION = re.compile(r"修正|修订|修改|通过|公布|施行|颁布|发布|\d{4}年")
_DECISION_ITEM = re.compile(rf"(附件\s*\d+)?[^第\n]{{0,10}}第\s*({NUMERAL})\s*项")
_QUOTE_TRIM = " \n\t：:“”\"'‘’「」『』"


@dataclass
class ParsedCitation:
    raw: str
    title: str
    level: str = ""
    edition: str = ""
    document_number: str = ""
    article: int | None = None
    article_text: str = ""
    sub_article: int = 0
    paragraph: int | None = None
    item: int | None = None
    quote: str = ""
    extra: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ParseResult:
    citations: list[ParsedCitation]
    note: str = ""


def _notes(text: str, pos: int, stop: int) -> list[tuple[int, int, str]]:
    """The parenthesised notes right after a title, `（…）（…）`, balanced: an edition note may
    itself name a law, as in （根据……《关于修改〈中华人民共和国专利法〉的决定》第四次修正）."""
    out = []
    while True:
        i = pos
        while i < stop and text[i] in " \n\t":
            i += 1
        if i >= stop or text[i] not in "（(":
            return out
        depth, j = 0, i
        while j < stop:
            if text[j] in "（(":
                depth += 1
            elif text[j] in "）)":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth:
            return out
        out.append((i, j + 1, text[i + 1:j].strip()))
        pos = j + 1


def _anchors(text: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of every law title: in 《》, or bare before an article number."""
    found, notes = [], []
    for m in _BRACKETED.finditer(text):
        if any(s <= m.start() < e for s, e in notes):
            continue  # a law named inside another's edition note
        before = text[:m.start()]
        if found and before.count("“") > before.count("”"):
            continue  # a law named inside the quoted text of another
        found.append((m.start(), m.end(), m.group(1).strip()))
        notes += [(s, e) for s, e, _n in _notes(text, m.end(), len(text))]
    covered = [(s, e) for s, e, _t in found] + notes
    for m in _BARE.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in covered):
            continue
        title = _PREFIX.sub("", m.group(1))
        title = re.sub(r"^.*[，。；;、：:]", "", title)
        if len(title) < 3 or title.startswith(("本", "该", "上述", "前款", "同")) or _SELF.search(title):
            continue  # 依照本法第三十六条 inside a quote refers to the quoted law itself
        before = text[:m.start()]
        if before.count("“") > before.count("”"):
            continue  # inside quotation marks
        start = m.end(1) - len(title)
        found.append((start, m.end(1), title))
    return sorted(found)


def _level_before(text: str, start: int, floor: int) -> str:
    tags = list(_LEVEL.finditer(text, floor, start))
    return LEVEL_TAGS.get(tags[-1].group(1), "") if tags else ""


def _is_citation_start(scope: str, pos: int, prev_end: int | None) -> bool:
    """Does the article reference at `pos` start a citation, rather than sit inside a quote?"""
    before = scope[:pos]
    if not before.strip(" \n\t:：,，"):
        return True  # right after the title and its notes
    if prev_end is not None and _JOIN.match(scope[prev_end:pos]):
        return True  # 第十条、第十一条
    line = before.rsplit("\n", 1)[-1]
    if not line.strip() or _NUMBERING.search(before):
        return True  # at the start of a line: quoted articles one after another
    return bool(re.search(r"[；;。]\s*$", before))  # 第十条……；第十二条……


def parse(text: str | None) -> ParseResult:
    if not text or not str(text).strip():
        return ParseResult([], "unparsed")
    text = str(text).translate(_HALF)
    anchors = _anchors(text)
    if not anchors:
        return ParseResult([], "unparsed")
    out: list[ParsedCitation] = []
    floor = 0
    for i, (start, end, title) in enumerate(anchors):
        stop = anchors[i + 1][0] if i + 1 < len(anchors) else len(text)
        level = _level_before(text, start, floor)
        cursor, edition, number = end, "", ""
        for _s, note_end, note in _notes(text, end, stop):
            if _DOC_NUMBER.search(note) and not _EDITION.search(note.replace("年第", "")):
                number = number or note
            elif _EDITION.search(note):
                edition = edition or note
            elif _DOC_NUMBER.search(note):
                number = number or note
            else:
                break
            cursor = note_end
        scope = text[cursor:stop]
        # a level tag for the next law often sits at the end of this scope: keep it out of the quote
        tag = list(_LEVEL.finditer(scope))
        if tag and i + 1 < len(anchors) and not scope[tag[-1].end():].strip(" \n：:"):
            scope = scope[:tag[-1].start()]
        refs = []
        prev_end = None
        for m in _REF.finditer(scope):
            if _is_citation_start(scope, m.start(), prev_end):
                refs.append(m)
                prev_end = m.end()
                # 款 and 项 right after the article belong to it
                while (p := _PARA.match(scope, prev_end)) or (p := _ITEM.match(scope, prev_end)):
                    prev_end = p.end()
        raw_segment = text[start:stop].strip()
        base = dict(title=title, level=level, edition=edition, document_number=number)
        if not refs:
            extra = scope.strip(_QUOTE_TRIM + "；;。")
            cit = ParsedCitation(raw=raw_segment, **base, extra=extra[:200])
            if m := _DECISION_ITEM.search(scope):
                cit.item = to_int(m.group(2))
            out.append(cit)
        for j, m in enumerate(refs):
            cit = ParsedCitation(raw=raw_segment, **base, article=to_int(m.group(1)),
                                 article_text=re.sub(r"\s", "", m.group(0)), sub_article=to_int(m.group(2)) or 0
                                 if m.group(2) else 0)
            pos = m.end()
            if p := _PARA.match(scope, pos):
                cit.paragraph, pos = to_int(p.group(1)), p.end()
            if p := _ITEM.match(scope, pos):
                cit.item, pos = to_int(p.group(1) or p.group(2)), p.end()
            q_end = refs[j + 1].start() if j + 1 < len(refs) else len(scope)
            quote = scope[pos:q_end]
            if j + 1 < len(refs) and _JOIN.match(quote):
                quote = ""
            if cit.item is None and (e := _ITEM_AFTER_ELLIPSIS.match(quote.lstrip(_QUOTE_TRIM))):
                cit.item = to_int(e.group(1))
                quote = quote.lstrip(_QUOTE_TRIM)[e.end():]
            quote = re.sub(r"(?:\n\s*)?(?:\d{1,2}[.、．)]|[（(]\d{1,2}[）)])\s*$", "", quote.rstrip())
            cit.quote = quote.strip(_QUOTE_TRIM).rstrip("；;").strip(_QUOTE_TRIM)
            out.append(cit)
        floor = stop
    return ParseResult(out)
