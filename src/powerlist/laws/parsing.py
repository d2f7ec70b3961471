"""Parsing the legal-basis text of real lists into citations.

One cell can hold several laws (numbered, `；`-separated or one per line), each with level tags
(`【行政法规】：`), edition notes (`（根据2020年10月17日……第四次修正）`), document numbers
(`（国发〔2010〕21号）`, `退役军人部发〔2022〕3号`), parts of a document (`附件2第37项`), article,
paragraph and item (`第二十六条第一款`, `第五条第（一）项`, `第四条 …(四)`, `第55条`) and the quoted
text of the article. Titles may come without 《》.

A citation starts only where citations start: at the beginning of the text or of a line, after a
level tag, after a number (`1.`, `2、`, `（一）`), after `；` or `。`, after a lead-in (`设定依据：`), or
right after another citation's article numbers (`第十条、《…》第五条`). A law named anywhere else
(`……依照《中华人民共和国民事诉讼法》向人民法院起诉`), followed by `所称` or `规定的`, or a form
named in 《》 (`《代理出口货物证明》`) is part of the quote it sits in. A level tag applies to every
citation after it until the next tag. Text that holds no citation gives none, with the note
`unparsed`: never an exception.
"""

import re
from dataclasses import asdict, dataclass

from powerlist.laws.numerals import NUMERAL, to_int

LEVEL_TAGS = {"法律": "法律", "行政法规": "行政法规", "地方性法规": "地方性法规", "规章": "规章", "部门规章": "规章",
              "地方政府规章": "规章", "政府规章": "规章", "规范性文件": "规范性文件", "宪法": "宪法",
              "自治条例": "地方性法规", "单行条例": "地方性法规",
              "法规": ""}  # 【法规】: 行政法规 or 地方性法规, inferred from the title

# full-width digits, letters and spaces to half-width, one character for one (positions stay)
_HALF = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
                       **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
                       "\u3000": " ", "\u00a0": " ", "\r": "\n", "．": ".", "：": "：", "﹝": "〔", "﹞": "〕",
                       "［": "[", "］": "]"})
# 湘政办发【2019】12号: the year in level-tag brackets; made 〔2019〕 so it is never taken for a tag
_YEAR_IN_TAG = re.compile(r"【(\d{4})】")

_BRACKETED = re.compile(r"《([^《》\n]{2,100})》")
_TITLE_WORDS = r"(?:法|条例|规定|办法|细则|规则|决定|解释|意见|通知|规程|标准)"
_BARE = re.compile(rf"((?:中华人民共和国)?[\u4e00-\u9fff]{{2,40}}?{_TITLE_WORDS})"
                   rf"(?=\s*(?:[（(][^（）()\n]{{1,80}}[）)]\s*)*第\s*{NUMERAL}\s*条)")
# forms, certificates and documents a quote names: never a citation of their own
_FORM = re.compile(r"(?:证明|证书|证|表|书|(?<!清)单|卡|册|执照|凭证|标志|牌)$")  # but 《市场准入负面清单》 is cited
_PREFIX = re.compile(r"^(?:依据|根据|按照|依照|参照|违反|执行|见|和|及|与|或者|以及|并|同时)+")
_SELF = re.compile(rf"本{_TITLE_WORDS}$")
_LEVEL = re.compile(r"【\s*([^【】]{2,8}?)\s*】")
_REF = re.compile(rf"第\s*({NUMERAL})\s*条(?:\s*之\s*({NUMERAL}))?")
_CHAPTER = re.compile(rf"第\s*{NUMERAL}\s*[编章节]\s*\Z")
_PARA = re.compile(rf"\s*第\s*({NUMERAL})\s*款")
_ITEM = re.compile(rf"\s*第?\s*[（(]\s*({NUMERAL})\s*[）)]\s*项?|\s*第\s*({NUMERAL})\s*项")
_ITEM_AFTER_ELLIPSIS = re.compile(rf"^\s*(?:…|\.\.\.|—)+\s*[（(]\s*({NUMERAL})\s*[）)]")
_JOIN = re.compile(r"^[\s、，,和及与或]*$")
_NUMBERING = re.compile(r"(?:^|\n)\s*(?:\d{1,2}[.、．)]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+、)\s*$")
_EDITION = re.compile(r"修正|修订|修改|通过|公布|施行|颁布|发布|\d{4}年")
_QUOTE_TRIM = " \n\t：:“”\"'‘’「」『』"
_SAYS = re.compile(r"^的?(?:规定|明确)\s*[：:，,]\s*")
_WORDS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")

# where a citation may start (rule 1 of issue 8): what may stand between such a place and the title
_NUM_MARK = r"(?:\d{1,2}\s*[.、)）]|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[）)]|[一二三四五六七八九十]{1,3}\s*、)"
_LEAD_IN = r"(?:[\u4e00-\u9fff]{0,4}依据|根据|依照|按照|参照)\s*[:：]?"
_TAG = r"【[^【】\n]{1,10}】"
_START_TAIL = re.compile(rf"(?:\s|[:：]|{_TAG}|{_NUM_MARK}|{_LEAD_IN})*\Z")
_BOUNDARY = set("\n；;。”\"!！?？")
_NUMBER_SEEN = re.compile(rf"(?:^|\s){_NUM_MARK}")
# `。2.《…》`, `；3、《…》`: numbered the way cells number their citations
_NUMBERED_CITATION = re.compile(r"(?:^|[\s。；;”\"])\d{1,2}\s*[.、]\s*\Z")
# between two titles, only article numbers and joiners: `第十条、《…》`, `第十条和《…》第五条`
_NOTE = re.compile(r"[（(][^（）()]{0,120}[）)]")
_JOINED = re.compile(rf"(?:\s|[、，,和及与或以;；]|第\s*{NUMERAL}\s*[条款项]|之\s*{NUMERAL}|[（(]\s*{NUMERAL}\s*[）)]"
                     rf"|的?规定|{_NUM_MARK}|{_TAG})*")
# `所称`, `规定的` after the title and its article: the title is part of a sentence in the quote
_ARTICLE_TAIL = re.compile(rf"\s*(?:第\s*{NUMERAL}\s*[条款项](?:\s*之\s*{NUMERAL})?|[（(]\s*{NUMERAL}\s*[）)]\s*项?)*\s*")
_REFERENCE_WORDS = ("所称", "规定的", "所规定的")

# 国发〔2010〕21号, 湘政办发〔2019〕12号, 退役军人部发〔2022〕3号, 财税[2016]36号,
# 国务院令第412号, 交通运输部令2017年第27号, 国家税务总局公告2012年第24号
DOCUMENT_NUMBER = re.compile(
    rf"[\u4e00-\u9fff]{{1,14}}?\s*[〔\[]\s*\d{{4}}\s*[〕\]]\s*第?\s*\d{{1,5}}\s*号"
    rf"|[\u4e00-\u9fff]{{1,16}}?(?:令|公告)\s*(?:\d{{4}}\s*年\s*)?(?:第\s*)?(?:\d{{1,5}}|{NUMERAL})\s*号")
# what follows a cited title (and its notes) after a number or a lead-in: not the middle of a sentence
_CITATION_NEXT = re.compile(rf"\s*(?:\Z|第\s*{NUMERAL}\s*[条款项]|[\n；;。，,、：:【《“\"]|和|及|以及|附件"
                            rf"|{DOCUMENT_NUMBER.pattern})")
# after a bare `。`/`；` a title must look cited: 。《A法》和《B法》同时废止 is a sentence of the quote
_CITATION_AFTER_FULL_STOP = re.compile(rf"\s*(?:\Z|第\s*{NUMERAL}\s*[条款项]|[\n；;。：:【“\"]|附件"
                                       rf"|{DOCUMENT_NUMBER.pattern})")
_DOCUMENT_NUMBER_END = re.compile(rf"(?:{DOCUMENT_NUMBER.pattern})\s*\Z")
_NUMBER_FIRST = re.compile(rf"[\s，,：:]*({DOCUMENT_NUMBER.pattern})")
_TAIL_WINDOW = 40  # a level tag, a number and a lead-in fit in it
_LEAD_WORDS = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}依据|根据|依照|按照|参照|见|和|及|与|[年月日]|起?施行|公布|发布|颁布|印发)+")
# 附件2第37项, 附件第3项, 附件2……第37项, 附件1
_PART = re.compile(rf"附件\s*(\d{{1,3}}|[一二三四五六七八九十]{{1,3}})?(?:[^第\n《》]{{0,10}}?第\s*({NUMERAL})\s*项)?")


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
    part: str = ""  # the part of a document cited: 附件2第37项

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


def _number_at_end(text: str) -> re.Match | None:
    """A document number ending the text (`……国发〔2010〕21号`), found without scanning the text."""
    if not text.rstrip().endswith("号"):
        return None
    low = max(0, len(text) - 48)
    return _DOCUMENT_NUMBER_END.search(text, low)


def document_number(text: str) -> str:
    """The first document number in a text (`国发〔2010〕21号`), without a lead-in word before it."""
    m = DOCUMENT_NUMBER.search(text)
    return _LEAD_WORDS.sub("", re.sub(r"\s", "", m.group(0))) if m else ""


def _candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of every title that could be cited: in 《》, or bare before an article
    number; never one inside another title's notes, nor a form's name."""
    found, notes = [], []
    for m in _BRACKETED.finditer(text):
        if any(s <= m.start() < e for s, e, _t in notes):
            continue  # a law named inside another's edition note
        title = m.group(1).strip()
        notes += _notes(text, m.end(), len(text))
        if _FORM.search(title):
            continue
        found.append((m.start(), m.end(), title))
    covered = [(s, e) for s, e, _t in found] + [(s, e) for s, e, _n in notes]
    for m in _BARE.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in covered):
            continue
        title = _PREFIX.sub("", m.group(1))
        title = re.sub(r"^.*[，。；;、：:“”]", "", title)
        if len(title) < 3 or title.startswith(("本", "该", "上述", "前款", "同")) or _SELF.search(title):
            continue  # 依照本法第三十六条 inside a quote refers to the quoted law itself
        start = m.end(1) - len(title)
        found.append((start, m.end(1), title))
    return sorted(found)


def _start_kind(text: str, start: int) -> str:
    """'strong' at the start of the text or a line or after a level tag, 'weak' after a number or
    a lead-in, 'punctuation' right after `；`/`。`, '' anywhere else (inside a sentence)."""
    low = max(0, start - 80)
    window = text[low:start]
    if doc := _number_at_end(window):
        window = window[:doc.start()]  # 国发〔2010〕21号《……》: the number belongs to the title
    if len(window) > _TAIL_WINDOW:
        window, low = window[-_TAIL_WINDOW:], start - _TAIL_WINDOW
    tail = _START_TAIL.search(window)
    p = tail.start()
    before = window[p - 1] if p else ("" if low == 0 else None)
    if before in ("", "\n") or "\n" in tail.group(0) or _LEVEL.search(tail.group(0)):
        return "strong"
    if before in _BOUNDARY or _NUMBER_SEEN.search(window[max(p - 1, 0):]):
        return "weak" if tail.group(0).strip(" \t:：") else "punctuation"
    return ""


def _is_reference(text: str, end: int) -> bool:
    """A title followed by `第六条第一款第三项所称` or `第X条规定的`: named inside a sentence."""
    pos = end
    for _s, e, _n in _notes(text, end, min(len(text), end + 400)):
        pos = e
    after = text[_ARTICLE_TAIL.match(text, pos).end():][:4]
    return after.startswith(_REFERENCE_WORDS)


def _anchors(text: str) -> list[tuple[int, int, str]]:
    """The titles that start a citation, in order."""
    kept: list[tuple[int, int, str]] = []
    for start, end, title in _candidates(text):
        if _is_reference(text, end):
            continue
        if not kept:
            kept.append((start, end, title))  # the first title of a cell is cited, wherever it stands
            continue
        kind = _start_kind(text, start)
        tags = list(_LEVEL.finditer(text, 0, start))
        section = text[tags[-1].end() if tags else 0:start]
        if section.count("“") > section.count("”") and not _NUMBERED_CITATION.search(text, max(0, start - 8), start):
            continue  # inside quotation marks (but a quote left open does not swallow `。2.《…》`)
        if kind in ("weak", "punctuation"):
            after = end
            for _s, e, _n in _notes(text, end, len(text)):
                after = e
            if not (_CITATION_NEXT if kind == "weak" else _CITATION_AFTER_FULL_STOP).match(text, after):
                kind = ""  # 。《中华人民共和国城市规划法》同时废止: a sentence, not a citation
        if not kind:
            between = text[kept[-1][1]:start]
            while (shorter := _NOTE.sub("", between)) != between:
                between = shorter
            if doc := _number_at_end(between):
                between = between[:doc.start()]
            if _JOINED.fullmatch(between):
                kind = "joined"
        if kind:
            kept.append((start, end, title))
    return kept


def _level_before(text: str, start: int) -> str:
    """The last level tag before a title: it applies to every citation until the next tag."""
    for tag in reversed(list(_LEVEL.finditer(text, 0, start))):
        if tag.group(1) in LEVEL_TAGS:
            return LEVEL_TAGS[tag.group(1)]
    return ""


def _is_citation_start(scope: str, pos: int, prev_end: int | None) -> bool:
    """Does the article reference at `pos` start a citation, rather than sit inside a quote?"""
    before = _CHAPTER.sub("", scope[:pos])
    if not before.strip(" \n\t:：,，"):
        return True  # right after the title and its notes (and a chapter: 第四章第二十一条)
    if prev_end is not None and _JOIN.match(scope[prev_end:pos]):
        return True  # 第十条、第十一条
    line = before.rsplit("\n", 1)[-1]
    if not line.strip() or _NUMBERING.search(before):
        return True  # at the start of a line: quoted articles one after another
    return bool(re.search(r"[；;。]\s*$", before))  # 第十条……；第十二条……


def _part(scope: str) -> tuple[str, int | None]:
    """`附件2……第37项` -> ('附件2第37项', 37): the part of a document that is cited."""
    m = _PART.search(scope)
    if not m:
        return "", None
    item = to_int(m.group(2)) if m.group(2) else None
    return "附件" + (m.group(1) or "") + (f"第{m.group(2)}项" if m.group(2) else ""), item


def parse(text: str | None) -> ParseResult:
    if not text or not str(text).strip():
        return ParseResult([], "unparsed")
    text = _YEAR_IN_TAG.sub(r"〔\1〕", str(text).translate(_HALF))
    anchors = _anchors(text)
    if not anchors:
        return ParseResult([], "unparsed")
    out: list[ParsedCitation] = []
    for i, (start, end, title) in enumerate(anchors):
        stop = anchors[i + 1][0] if i + 1 < len(anchors) else len(text)
        level = _level_before(text, start)
        cursor, edition, number = end, "", ""
        for _s, note_end, note in _notes(text, end, stop):
            found = document_number(note)
            if found and not _EDITION.search(re.sub(r"^\s*\d{4}\s*年", "", note.replace(found, "")).replace("年第", "")):
                number = number or found
            elif _EDITION.search(note):
                edition = edition or note
                number = number or found  # （2004年6月29日国务院令第412号公布）
            elif found:
                number = number or found
            else:
                break
            cursor = note_end
        if not number and (doc := _number_at_end(text[max(0, start - 80):start])):
            number = _LEAD_WORDS.sub("", re.sub(r"\s", "", doc.group(0)))  # 国发〔2010〕21号《……》
        scope = text[cursor:stop]
        if i + 1 < len(anchors):
            # what starts the next citation (its number, level tag, lead-in, document number) is not
            # part of this one's quote: `……其他纳税资料。【法律】2.《…》`
            if doc := _number_at_end(scope):
                scope = scope[:doc.start()]
            cut = max(0, len(scope) - _TAIL_WINDOW)
            scope = scope[:_START_TAIL.search(scope, cut).start()]
        if not number and "号" in scope[:60] and (doc := _NUMBER_FIRST.match(scope)):
            number = _LEAD_WORDS.sub("", re.sub(r"\s", "", doc.group(1)))  # 《……的通知》退役军人部发〔2022〕3号
            scope = scope[doc.end():]
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
        part, part_item = _part(scope[:refs[0].start()] if refs else scope)
        base = dict(title=title, level=level, edition=edition, document_number=number, part=part)
        if not refs:
            extra = scope.strip(_QUOTE_TRIM + "；;。")
            out.append(ParsedCitation(raw=raw_segment, **base, extra=extra[:200], item=part_item))
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
            quote = re.sub(r"[”\"』」’]\s*[。；;]$", "", quote.strip(_QUOTE_TRIM)).rstrip("；;").strip(_QUOTE_TRIM)
            quote = _SAYS.sub("", quote).strip(_QUOTE_TRIM)  # 第三条规定：“……”: the quote is what follows
            cit.quote = quote if _WORDS.search(quote) else ""  # `第九条、《…》`: no quote, only punctuation
            out.append(cit)
    return ParseResult(out)
