"""Random block-structured flowcharts as BPMN (tasks in sequence, exclusive choices, parallel
branches, loops back), for the property that valid runs raise no control-flow alert."""

from hypothesis import strategies as st

from powerlist.operation.tests.conftest import diagram

TASK = st.just(("task",))


def blocks():
    return st.recursive(
        TASK,
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=3).map(lambda b: ("seq", b)),
            st.lists(inner, min_size=2, max_size=3).map(lambda b: ("xor", b)),
            st.lists(inner, min_size=2, max_size=3).map(lambda b: ("and", b)),
            inner.map(lambda b: ("loop", b)),
        ),
        max_leaves=7,
    )


class Writer:
    def __init__(self):
        self.nodes, self.flows, self.n = [], [], 0
        self.choices = {}  # variable -> number of branches (xor) or 2 (loop)

    def new(self, kind: str, prefix: str, **attrs) -> str:
        self.n += 1
        ident = f"{prefix}{self.n}"
        extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
        self.nodes.append(f'<bpmn:{kind} id="{ident}"{extra} />')
        return ident

    def flow(self, a: str, b: str, condition: str = "") -> None:
        self.n += 1
        if condition:
            self.flows.append(f'<bpmn:sequenceFlow id="F{self.n}" sourceRef="{a}" targetRef="{b}">'
                              f'<bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>')
        else:
            self.flows.append(f'<bpmn:sequenceFlow id="F{self.n}" sourceRef="{a}" targetRef="{b}" />')

    def block(self, b) -> tuple[str, str]:
        """(entry node, exit node) of a block."""
        if b[0] == "task":
            t = self.new("userTask", "T")
            self.nodes[-1] = self.nodes[-1].replace(" />", f' name="环节{t[1:]}" />')
            return t, t
        if b[0] == "seq":
            parts = [self.block(x) for x in b[1]]
            for (_a, out), (into, _b) in zip(parts, parts[1:]):
                self.flow(out, into)
            return parts[0][0], parts[-1][1]
        if b[0] in ("xor", "and"):
            kind = "exclusiveGateway" if b[0] == "xor" else "parallelGateway"
            split, join = self.new(kind, "S"), self.new(kind, "J")
            var = f"c{split}"
            if b[0] == "xor":
                self.choices[var] = len(b[1])
            for i, x in enumerate(b[1]):
                into, out = self.block(x)
                self.flow(split, into, f"{var} == {i}" if b[0] == "xor" else "")
                self.flow(out, join)
            return split, join
        merge, test = self.new("exclusiveGateway", "M"), self.new("exclusiveGateway", "L")
        var = f"r{test}"
        self.choices[var] = 2
        into, out = self.block(b[1])
        self.flow(merge, into)
        self.flow(out, test)
        self.flow(test, merge, f"{var} == 1")
        exit_ = self.new("exclusiveGateway", "X")
        self.flow(test, exit_, f"{var} == 0")
        return merge, exit_

    def bpmn(self, b) -> bytes:
        """A first task (受理) before the random block: the choices are set when it completes."""
        into, out = self.block(("seq", [("task",), b]))
        self.nodes.insert(0, '<bpmn:startEvent id="StartEvent_1" />')
        self.nodes.append('<bpmn:endEvent id="EndEvent_1" />')
        self.flow("StartEvent_1", into)
        self.flow(out, "EndEvent_1")
        return diagram("\n".join(self.nodes + self.flows))
