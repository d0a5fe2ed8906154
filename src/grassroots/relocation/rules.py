"""The rules of applicability: a small, safe expression language, parsed by hand (never `eval`).

A rule is text such as ``age >= 3 and age < 6`` (over one member) or
``any(members, disabled)`` (over the household). It is tokenised and parsed by the recursive
descent below into a tree of plain tuples, checked against the attributes its subject offers
(`MEMBER_ATTRS`, `HOUSEHOLD_ATTRS`; an unknown name is an error naming it), then evaluated over
a dict of facts. Nothing in it can call Python, read an attribute of an object or loop
unboundedly: the only calls are the quantifiers ``any``, ``all``, ``none`` and ``count`` over
the household's members.

Grammar (lowest precedence first)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") sum)?
    sum     := atom (("+" | "-") atom)*
    atom    := NUMBER | STRING | "true" | "false" | NAME | "(" expr ")"
             | "[" (atom ("," atom)*)? "]"
             | ("any" | "all" | "none" | "count") "(" "members" "," expr ")"

docs/relocation.md explains it with examples (tests evaluate them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 500
MAX_DEPTH = 30

# The attributes of one member (facts.member_facts) and what each means, in words.
MEMBER_ATTRS: dict[str, str] = {
    "age": "年龄（周岁）",
    "school_age": "本学年入学年龄（当年8月31日的周岁）",
    "sex": "性别（male / female）",
    "relation": "与户主关系（head / spouse / child …）",
    "employment": "就业状况（employed / migrant / farming / unemployed / unable …）",
    "employed": "在业（在业、外出务工、个体经营、务农）",
    "able_to_work": "有劳动能力",
    "disabled": "持有残疾人证",
    "education": "文化程度",
}
# The attributes of the household (facts.household_facts).
HOUSEHOLD_ATTRS: dict[str, str] = {
    "members": "在册家庭成员",
    "size": "家庭人口数",
    "land_kept": "保留承包地",
    "land_mu": "承包地面积（亩）",
    "land_trusteeship": "承包地已托管",
    "homestead": "有旧宅基地",
    "homestead_vacated": "旧宅基地已签腾退协议",
    "years_since_move": "搬迁年数",
    "relocated_year": "搬迁年份",
}
QUANTIFIERS = {"any": "有成员", "all": "所有成员都", "none": "没有成员", "count": "成员人数"}
OPERATORS = {
    "==": "等于",
    "!=": "不等于",
    "<": "小于",
    "<=": "不大于",
    ">": "大于",
    ">=": "不小于",
    "in": "属于",
    "not in": "不属于",
}
KEYWORDS = {"and", "or", "not", "in", "true", "false", *QUANTIFIERS}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"\\]*\"|'[^'\\]*')|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\+|-))"
)


class RuleError(ValueError):
    """A rule that does not parse or names what its subject does not have; `message` says where."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(message if position is None else f"{message}（第 {position + 1} 个字符）")


Node = tuple[Any, ...]


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, or RuleError at the first character that starts none."""
    if len(text) > MAX_LENGTH:
        raise RuleError(f"规则过长（最多 {MAX_LENGTH} 个字符）")
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleError(f"无法识别的字符“{text[pos:].strip()[:1]}”", pos)
        kind = m.lastgroup or ""
        word = m.group(kind)
        out.append(Token(kind, word, m.start(kind)))
        pos = m.end()
    out.append(Token("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, *texts: str) -> Token | None:
        tok = self.peek()
        if tok.kind in ("op", "name") and tok.text in texts:
            return self.take()
        return None

    def expect(self, text: str) -> Token:
        tok = self.accept(text)
        if tok is None:
            got = self.peek()
            raise RuleError(f"此处应为“{text}”，却是“{got.text or '结尾'}”", got.pos)
        return tok

    def parse(self) -> Node:
        node = self.expr()
        end = self.peek()
        if end.kind != "end":
            raise RuleError(f"多余的内容“{end.text}”", end.pos)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError("规则嵌套过深", self.peek().pos)
        node = self.and_()
        while self.accept("or"):
            node = ("or", node, self.and_())
        self.depth -= 1
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.accept("and"):
            node = ("and", node, self.not_())
        return node

    def not_(self) -> Node:
        tok = self.peek()
        if tok.kind == "name" and tok.text == "not":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RuleError("规则嵌套过深", tok.pos)
            node = ("not", self.not_())
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> Node:
        left = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return ("cmp", tok.text, left, self.sum())
        if tok.kind == "name" and tok.text == "in":
            self.take()
            return ("cmp", "in", left, self.sum())
        if tok.kind == "name" and tok.text == "not":
            following = self.tokens[self.i + 1]
            if following.kind == "name" and following.text == "in":
                self.i += 2
                return ("cmp", "not in", left, self.sum())
        return left

    def sum(self) -> Node:
        node = self.atom()
        while True:
            tok = self.accept("+", "-")
            if tok is None:
                return node
            node = ("arith", tok.text, node, self.atom())

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return ("const", float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "str":
            return ("const", tok.text[1:-1])
        if tok.kind == "op" and tok.text == "(":
            node = self.expr()
            self.expect(")")
            return node
        if tok.kind == "op" and tok.text == "-":
            inner = self.atom()
            if inner[0] != "const" or not isinstance(inner[1], int | float):
                raise RuleError("负号后应为数字", tok.pos)
            return ("const", -inner[1])
        if tok.kind == "op" and tok.text == "[":
            items: list[Node] = []
            if not self.accept("]"):
                items.append(self.atom())
                while self.accept(","):
                    items.append(self.atom())
                self.expect("]")
            if any(item[0] != "const" for item in items):
                raise RuleError("列表中只能是数字或文字", tok.pos)
            return ("const", tuple(item[1] for item in items))
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return ("const", tok.text == "true")
            if tok.text in QUANTIFIERS:
                self.expect("(")
                collection = self.take()
                if collection.text != "members":
                    raise RuleError(f"“{tok.text}”只能作用于 members", collection.pos)
                self.expect(",")
                body = self.expr()
                self.expect(")")
                return ("quant", tok.text, body)
            if tok.text in KEYWORDS:
                raise RuleError(f"此处不能用“{tok.text}”", tok.pos)
            return ("name", tok.text, tok.pos)
        raise RuleError(f"此处应为一个值，却是“{tok.text or '结尾'}”", tok.pos)


def parse(text: str) -> Node:
    """The tree of `text`, or RuleError saying what is wrong and where."""
    if not text.strip():
        raise RuleError("规则不能为空")
    return _Parser(text).parse()


def check(node: Node, subject: str) -> None:
    """Refuse a name the subject ("member" or "household") does not have, naming it."""
    _check(node, MEMBER_ATTRS if subject == "member" else HOUSEHOLD_ATTRS)


def _check(node: Node, names: dict[str, str]) -> None:
    kind = node[0]
    if kind == "name":
        if node[1] not in names or node[1] == "members":
            known = "、".join(n for n in names if n != "members")
            raise RuleError(f"未知的属性“{node[1]}”（可用：{known}）", node[2])
    elif kind == "quant":
        if names is MEMBER_ATTRS:
            raise RuleError(f"“{node[1]}(members, …)”只能用于按户的规则")
        _check(node[2], MEMBER_ATTRS)
    elif kind in ("and", "or"):
        _check(node[1], names)
        _check(node[2], names)
    elif kind == "not":
        _check(node[1], names)
    elif kind in ("cmp", "arith"):
        _check(node[2], names)
        _check(node[3], names)


def compile_rule(text: str, subject: str) -> Node:
    """Parsed and checked: what a catalogue entry's `rule` must pass before it is saved."""
    node = parse(text)
    check(node, subject)
    return node


def evaluate(node: Node, facts: dict[str, Any]) -> Any:
    """The value of `node` over `facts` (a member's or the household's; the household's
    ``members`` is a list of member facts). Comparisons of mismatched types are False."""
    kind = node[0]
    if kind == "const":
        return node[1]
    if kind == "name":
        return facts.get(node[1])
    if kind == "and":
        return bool(evaluate(node[1], facts)) and bool(evaluate(node[2], facts))
    if kind == "or":
        return bool(evaluate(node[1], facts)) or bool(evaluate(node[2], facts))
    if kind == "not":
        return not evaluate(node[1], facts)
    if kind == "arith":
        a, b = evaluate(node[2], facts), evaluate(node[3], facts)
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return None
        return a + b if node[1] == "+" else a - b
    if kind == "cmp":
        return _compare(node[1], evaluate(node[2], facts), evaluate(node[3], facts))
    if kind == "quant":
        hits = [bool(evaluate(node[2], m)) for m in facts.get("members") or []]
        if node[1] == "count":
            return sum(hits)
        if node[1] == "any":
            return any(hits)
        if node[1] == "all":
            return all(hits)
        return not any(hits)
    raise RuleError(f"未知的节点 {kind}")


def _compare(op: str, a: Any, b: Any) -> bool:
    if op in ("in", "not in"):
        found = isinstance(b, tuple) and a in b
        return found if op == "in" else not found
    if op == "==":
        return bool(a == b)
    if op == "!=":
        return bool(a != b)
    numbers = isinstance(a, int | float) and isinstance(b, int | float)
    texts = isinstance(a, str) and isinstance(b, str)
    if not (numbers or texts):
        return False
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def applies(text: str, subject: str, facts: dict[str, Any]) -> bool:
    """Whether the rule `text` holds for `facts`."""
    return bool(evaluate(compile_rule(text, subject), facts))


def in_words(text: str, subject: str) -> str:
    """The rule said in words (Chinese), for the catalogue page; the text itself if it fails."""
    try:
        node = compile_rule(text, subject)
    except RuleError:
        return text
    if node == ("const", True):
        return "总是适用"
    return _words(node)


def _value_words(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple):
        return "［" + "、".join(_value_words(v) for v in value) + "］"
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


def _words(node: Node) -> str:
    kind = node[0]
    if kind == "const":
        return _value_words(node[1])
    if kind == "name":
        label = MEMBER_ATTRS.get(node[1]) or HOUSEHOLD_ATTRS.get(node[1]) or node[1]
        return label.split("（")[0]
    if kind == "and":
        return f"{_words(node[1])}，并且{_words(node[2])}"
    if kind == "or":
        return f"（{_words(node[1])}，或者{_words(node[2])}）"
    if kind == "not":
        return f"并非{_words(node[1])}"
    if kind == "arith":
        return f"{_words(node[2])}{'加' if node[1] == '+' else '减'}{_words(node[3])}"
    if kind == "cmp":
        return f"{_words(node[2])}{OPERATORS[node[1]]}{_words(node[3])}"
    if kind == "quant":
        if node[1] == "count":
            return f"（{_words(node[2])}的）{QUANTIFIERS['count']}"
        return f"{QUANTIFIERS[node[1]]}（{_words(node[2])}）"
    return ""
