"""Reading a batch of legal-basis texts to verify (`powerlist laws verify --file FILE`): a JSON
array of strings, read within the limits of powerlist.core.limits like every untrusted file."""

from pathlib import Path

from powerlist.core import bounded, limits
from powerlist.core.errors import InvalidInput, Problem


def read_texts(path: Path) -> list[str]:
    """The texts of a JSON array; InvalidInput naming the file (and the element) otherwise."""
    if not path.is_file():
        raise InvalidInput([Problem(path.name, None, "", str(path), "找不到该文件")])
    data = bounded.load_json_file(path)
    if not isinstance(data, list):
        raise InvalidInput([Problem(path.name, None, "", type(data).__name__,
                                    "应为 JSON 数组，每个元素是一段依据文本，如 [\"《中华人民共和国行政许可法》第十二条\"]")])
    if len(data) > limits.get("POWERLIST_MAX_ROWS"):
        raise limits.refusal(path.name, "POWERLIST_MAX_ROWS", f"数组有 {len(data)} 个元素")
    problems = []
    longest = limits.get("POWERLIST_MAX_CELL_CHARS")
    for n, text in enumerate(data, 1):
        where = f"第{n}个元素"
        if not isinstance(text, str):
            problems.append(Problem(path.name, None, where, str(text)[:60], "应为字符串（一段依据文本）"))
        elif len(text) > longest:
            problems.append(limits.refusal(path.name, "POWERLIST_MAX_CELL_CHARS", f"文本有 {len(text)} 个字符",
                                           field=where, value=text[:60]).problems[0])
    if problems:
        raise InvalidInput(problems)
    return data
