"""Who completes a step: the role its flowchart lane (泳道, or participant) names.

A lane is a post written as the diagram's author wrote it (综合窗口, 业务科室, 受理员, 审核员, 分管负责人,
执法机构, the department's own 法制审核机构 …): those are posts inside the item's department, whose
clerks (部门经办人) hold them all, so such a step is the department's clerks'. A lane that names a
role from outside the department gives the step to that role alone:
- the service hall (政务服务中心, 政务服务大厅, 大厅 …): its hall clerks (综合窗口人员 of the jurisdiction);
- experts (专家 …): expert reviewers of the jurisdiction;
- the jurisdiction's legal reviewers (司法局, 司法所, or the role's own name 法制审核人员);
or a role's own name or code (部门经办人, clerk, legal, expert, hall). A step without a lane has no
role: the department's clerks complete it as before. Administrators complete any step."""

from powerlist.core import scope
from powerlist.core.models import Role

NAMES = {Role.CLERK: "本部门经办人", Role.LEGAL: "法制审核人员", Role.EXPERT: "专家评审人员",
         Role.HALL: "政务服务大厅窗口人员"}
_WORDS = [(Role.HALL, ("政务服务中心", "政务服务大厅", "政务大厅", "服务大厅", "大厅")),
          (Role.EXPERT, ("专家",)),
          (Role.LEGAL, ("司法局", "司法所", "法制审核人员"))]
_OWN_NAMES = {**{role.value: role.value for role in NAMES}, **{name: role.value for role, name in NAMES.items()},
              "部门经办人": Role.CLERK.value, "经办人": Role.CLERK.value}
OUTSIDE = (Role.LEGAL, Role.EXPERT, Role.HALL)  # roles that act on a case only at their own lanes' steps


def lane(task) -> str:
    return (getattr(task.task_spec, "lane", None) or "").strip()


def role_of(lane_name: str) -> str | None:
    """The core role a lane gives its steps to (None: no lane, no role)."""
    name = (lane_name or "").strip()
    if not name:
        return None
    if name in _OWN_NAMES:
        return _OWN_NAMES[name]
    return next((role.value for role, words in _WORDS if any(w in name for w in words)), Role.CLERK.value)


def fills(actor, role: str | None, case) -> bool:
    """Whether `actor` holds `role` for this case: administrators always; the department's own
    steps (role clerk or none) its clerks (the case service has checked the department); a role
    from outside, users of that role whose jurisdiction is the case's or above it."""
    actual = scope._role(actor)
    if actual == Role.ADMIN:
        return True
    if role in (None, Role.CLERK):
        return actual == Role.CLERK
    return (actual == role and bool(actor.jurisdiction_id)
            and case.jurisdiction.code.startswith(actor.jurisdiction.code))


def refusal(actor, step: str, lane_name: str, role: str | None) -> str:
    """The refusal in words: the step, the role it needs and the lane that says so."""
    needed = NAMES.get(role, NAMES[Role.CLERK])
    where = f"（流程图泳道“{lane_name}”）" if lane_name else "（流程图未指定岗位，由本部门经办人办理）"
    return f"{scope._name(actor)}不能办理环节“{step}”：该环节须由{needed}办理{where}"
