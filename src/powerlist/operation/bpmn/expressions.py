"""The safe expression check for gateway conditions. SpiffWorkflow evaluates a condition with
Python's `eval` (DESIGN.md), so a diagram may only carry comparisons and boolean logic on case
fields: the text is parsed with `ast` and every node must be on a short whitelist. Calls,
attributes, subscripts, lambdas, comprehensions and dunder names are refused.

Modelers write conditions as JUEL (`${amount > 1000 && urgent}`, `#{…}`); the Java operators are
translated to Python's first, and the Python text is what the engine gets."""

import ast
import re

MAX_CHARS = 500
_WRAPPED = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.S)
_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
_CONSTANTS = (str, int, float, bool, type(None))


class UnsafeExpression(ValueError):
    pass


def _juel_to_python(text: str) -> str:
    """`a && !b || c == 'x'` -> `a and not b or c == 'x'`; quoted text is left alone."""
    out, i, quote = [], 0, ""
    while i < len(text):
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
            i += 1
            continue
        if ch in "'\"":
            quote = ch
        two = text[i:i + 2]
        if two == "&&":
            out.append(" and ")
            i += 2
            continue
        if two == "||":
            out.append(" or ")
            i += 2
            continue
        if ch == "!" and two != "!=":
            out.append(" not ")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.Expression):
        return _check(node.body)
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value)
        return None
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.Not | ast.USub):
            raise UnsafeExpression("只允许 not 和负号")
        return _check(node.operand)
    if isinstance(node, ast.Compare):
        for op in node.ops:
            if not isinstance(op, _COMPARE_OPS):
                raise UnsafeExpression(f"不允许的比较 {type(op).__name__}")
        for operand in [node.left, *node.comparators]:
            _check(operand)
        return None
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise UnsafeExpression(f"字段名“{node.id}”不能以下划线开头")
        return None
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, _CONSTANTS):
            raise UnsafeExpression("只允许文字、数字和真假值常量")
        return None
    if isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            if not isinstance(element, ast.Constant) or not isinstance(element.value, _CONSTANTS):
                raise UnsafeExpression("列表中只能是常量")
        return None
    raise UnsafeExpression(f"不允许{_NAMES.get(type(node).__name__, type(node).__name__)}")


_NAMES = {"Call": "函数调用", "Attribute": "属性访问", "Subscript": "下标访问", "Lambda": "lambda",
          "BinOp": "算术运算", "ListComp": "推导式", "GeneratorExp": "推导式", "DictComp": "推导式",
          "SetComp": "推导式", "IfExp": "条件表达式", "NamedExpr": "赋值表达式", "Dict": "字典", "Set": "集合",
          "JoinedStr": "格式化字符串", "Starred": "星号展开", "Await": "await", "Yield": "yield"}


def check(text: str) -> str:
    """The condition as Python the engine may evaluate, or UnsafeExpression saying why not."""
    if len(text) > MAX_CHARS:
        raise UnsafeExpression(f"条件不能超过{MAX_CHARS}个字符")
    match = _WRAPPED.match(text)
    body = match.group(1) if match else text
    python = " ".join(_juel_to_python(body).split())
    if not python:
        raise UnsafeExpression("条件为空")
    if "__" in python:
        raise UnsafeExpression("不允许双下划线名称")
    try:
        tree = ast.parse(python, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise UnsafeExpression("不是有效的条件表达式（只允许比较与 and/or/not）") from None
    _check(tree)
    return python
