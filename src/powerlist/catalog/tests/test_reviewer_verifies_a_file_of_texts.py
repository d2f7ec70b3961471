"""`powerlist laws verify --file FILE --json`: a JSON array of legal-basis texts in, an array
aligned with it out, each element what `--text T --json` gives; a bad file is refused naming the
file and the element, with a non-zero exit and no traceback."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

TEXTS = [
    "【法律】1.《中华人民共和国税收征收管理法》第二十五条第一款：纳税人必须依照法律、行政法规规定或者税务机关依照法律、"
    "行政法规的规定确定的申报期限、申报内容如实办理纳税申报【法律】2.《中华人民共和国个人所得税法》第十条",
    "见附件",
    "《税收征管法》第二十五条",
    "《中华人民共和国行政许可法》第四十二条：行政机关应当自受理行政许可申请之日起三十日内作出行政许可决定",
    "",
]


def verify_json(capsys, *args):
    call_command("laws", "verify", *args, "--json")
    return json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_reviewer_verifies_a_file_of_texts_and_gets_one_answer_per_text(tmp_path, capsys):
    batch = tmp_path / "texts.json"
    batch.write_text(json.dumps(TEXTS, ensure_ascii=False), encoding="utf-8")
    answers = verify_json(capsys, "--file", str(batch))
    assert isinstance(answers, list) and len(answers) == len(TEXTS)
    for text, answer in zip(TEXTS, answers):
        assert answer == verify_json(capsys, "--text", text)
    assert [[c["verdict"]["result"] for c in a["citations"]] for a in answers] == [
        ["ok", "ok"], [], ["ok"], ["text-mismatch"], []]
    assert [a["note"] for a in answers] == ["", "unparsed", "", "", "unparsed"]
    assert answers[2]["citations"][0]["verdict"]["law_title"] == "中华人民共和国税收征收管理法"


@pytest.mark.django_db
def test_an_empty_array_gives_an_empty_array(tmp_path, capsys):
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    assert verify_json(capsys, "--file", str(tmp_path / "none.json")) == []


@pytest.mark.parametrize("content,says", [
    ("《中华人民共和国行政许可法》第十二条", "不是有效的 JSON"),
    ('{"texts": ["《中华人民共和国行政许可法》第十二条"]}', "应为 JSON 数组"),
    ('["《中华人民共和国行政许可法》第十二条", 12, null]', "[第2个元素] 值“12”：应为字符串"),
    ('["a", ["b"]]', "[第2个元素]"),
    ("[" * 40 + "]" * 40, "嵌套"),
])
@pytest.mark.django_db
def test_a_bad_file_is_refused_naming_the_file_and_the_element(tmp_path, content, says):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("laws", "verify", "--file", str(bad), "--json")
    assert "bad.json" in str(refused.value) and says in str(refused.value)


@pytest.mark.django_db
def test_a_text_past_the_cell_limit_or_a_file_past_the_size_limit_is_refused(tmp_path, settings):
    settings.POWERLIST_MAX_CELL_CHARS = 50
    long_text = tmp_path / "long.json"
    long_text.write_text(json.dumps(["短", "长" * 51], ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"long.json \[第2个元素\].*POWERLIST_MAX_CELL_CHARS"):
        call_command("laws", "verify", "--file", str(long_text))
    settings.POWERLIST_MAX_JSON_MB = 1
    big = tmp_path / "big.json"
    big.write_text(json.dumps(["x" * 40] * 30_000), encoding="utf-8")
    with pytest.raises(CommandError, match="big.json.*POWERLIST_MAX_JSON_MB"):
        call_command("laws", "verify", "--file", str(big))


def test_a_missing_file_exits_non_zero_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "powerlist", "laws", "verify", "--file", str(tmp_path / "gone.json"),
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "gone.json" in done.stderr and "找不到该文件" in done.stderr and "Traceback" not in done.stderr
