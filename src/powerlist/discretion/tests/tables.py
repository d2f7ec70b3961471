"""Discretion tables written the way departments keep them, for the tests: one sheet per law, a
title row, the header, merged cells spanning a violation's rows."""

from pathlib import Path

import openpyxl

HEADER = ["序号", "违法行为", "法律依据", "类别", "裁量情节", "裁量标准", "备注"]

ENVIRONMENT = [
    ("1", "未依法取得排污许可证排放污染物", "《中华人民共和国环境保护法》第六十三条", [
        ("轻微", "首次违法，及时改正", "处二万元以上五万元以下罚款", ""),
        ("一般", "逾期未改正", "处五万元以上十万元以下罚款", ""),
        ("严重", "造成环境污染", "责令停产整治，处十万元以上一百万元以下的罚款", "报经有批准权的人民政府批准"),
    ]),
    ("2", "建设项目未依法进行环境影响评价擅自开工建设", "《中华人民共和国环境影响评价法》第三十一条", [
        ("一般", "未造成生态破坏", "处建设项目总投资额百分之一以上百分之三以下的罚款", ""),
        ("严重", "造成生态破坏", "处建设项目总投资额百分之三以上百分之五以下的罚款，并可以责令恢复原状", ""),
    ]),
    ("3", "拒不改正违法排放污染物", "《中华人民共和国环境保护法》第五十九条", [
        ("一般", "", "责令改正，拒不改正的，按日连续处罚", ""),
    ]),
]
PRICES = [
    ("1", "违反规定收取费用", "《中华人民共和国价格法》第三十九条", [
        ("一般", "", "没收违法所得，并处所收费用三倍以上四倍以下的罚款", ""),
        ("严重", "情节严重", "依法从重处理", "需结合案情研究"),  # no amount a machine can read
    ]),
]


def write(path: Path, sheets: dict[str, tuple[str, list]], merge: bool = True) -> Path:
    """sheets: {sheet title: (title row text, violations)}; each violation
    (number, name, basis, [(grade, circumstances, standard, note), …])."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, (heading, violations) in sheets.items():
        ws = wb.create_sheet(title)
        ws.append([heading])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        ws.append(HEADER)
        for number, name, basis, grades in violations:
            first = ws.max_row + 1
            for i, (grade, circumstances, standard, note) in enumerate(grades):
                written = (number, name, basis) if (i == 0 or not merge) else (None, None, None)
                ws.append([*written, grade, circumstances, standard, note])
            last = ws.max_row
            if merge and last > first:
                for col in (1, 2, 3):
                    ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    wb.save(path)
    return path
