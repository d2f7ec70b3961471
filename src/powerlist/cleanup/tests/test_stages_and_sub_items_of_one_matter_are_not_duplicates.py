"""The false duplicates an acceptance tester found on 广安区's real list: one matter's stages
(筹设/设立, 核发/变更/换证) and its sub-items told apart by a bracket only one side has
(备案/备案（终止）, 变更（县级）/变更（婚前医学检查）) are not proposed for merging; the true
duplicates of that list still are, and each group's message says only the evidence it has."""

from powerlist.cleanup.checks import duplicate_findings, find_duplicate_groups, stages

APPROVALS = "广安区行政审批局"
TRANSPORT = "广安区交通运输局"
DANGEROUS = ("除从事剧毒、易制爆、汽油加油站、专用危化品仓储的企业外，不带有储存设施经营除剧毒化学品、易制爆危险化学品"
             "以外的其他危险化学品企业经营许可证")


def doc(code, name, department=APPROVALS, citations=()):
    return {"code": code, "name": name, "organisation": department, "citations": [{"text": c} for c in citations]}


def codes(groups):
    return sorted(g["codes"] for g in groups)


def test_a_level_bracket_against_a_sub_item_bracket_is_two_sub_items():
    assert find_duplicate_groups([
        doc("M1", "母婴保健技术服务机构执业许可变更（县级）"), doc("M2", "母婴保健技术服务机构执业许可变更（婚前医学检查）"),
        doc("M3", "母婴保健技术服务执业许可注销（县级）"), doc("M4", "母婴保健技术服务执业许可注销（婚前医学检查）"),
    ]) == []


def test_a_filing_and_its_termination_are_two_sub_items():
    assert find_duplicate_groups([
        doc("T1", "机动车维修经营备案", TRANSPORT), doc("T2", "机动车维修经营备案（终止）", TRANSPORT),
        doc("T3", "机动车驾驶员培训备案", TRANSPORT), doc("T4", "机动车驾驶员培训备案（终止）", TRANSPORT),
    ]) == []


def test_preparing_and_establishing_a_school_are_two_stages():
    assert find_duplicate_groups([doc("E1", "中等及以下其他教育机构筹设审批"), doc("E2", "中等及以下其他教育机构设立审批")]) == []


def test_issuing_changing_and_renewing_one_licence_are_three_stages():
    assert stages(DANGEROUS + "换证审查") == {"换证"}
    assert find_duplicate_groups([doc("H1", DANGEROUS + "核发"), doc("H2", DANGEROUS + "变更审查"),
                                  doc("H3", DANGEROUS + "换证审查")]) == []


def test_a_bare_name_and_a_bracketed_one_sharing_their_basis_are_still_one_matter():
    basis = ["《中华人民共和国行政许可法》第十二条"]
    groups = find_duplicate_groups([doc("B1", "机动车维修经营备案", TRANSPORT, basis),
                                    doc("B2", "机动车维修经营备案（终止）", TRANSPORT, basis)])
    assert codes(groups) == [["B1", "B2"]]


def test_the_true_duplicates_of_the_real_list_are_still_found():
    groups = find_duplicate_groups([
        doc("A1", "城市建筑物、设施上张挂、张贴宣传品审批"), doc("A2", "城市建筑物、设施上张挂、张贴宣传品审批"),
        doc("P1", "企业投资项目备案（技术改造）（市级/县级）", "广安区经济和信息化局"),
        doc("P2", "企业投资项目备案", "广安区发展和改革局"),
        doc("G1", "建设项目古树名木保护方案备案", "广安区自然资源和规划局"),
        doc("G2", "建设项目古树名木保护方案备案（住建行使）", "广安区住房和城乡建设局"),
        doc("S1", "求职创业补贴申领", "广安区人力资源和社会保障局"),
        doc("S2", "求职创业补贴申领", "广安区人力资源和社会保障局"),
    ])
    assert codes(groups) == [["A1", "A2"], ["G1", "G2"], ["P1", "P2"], ["S1", "S2"]]
    assert all(g["across_departments"] for g in groups if g["codes"][0] in ("G1", "P1"))


def test_the_message_says_basis_shared_only_when_it_is():
    names_only = [doc("A1", "城市建筑物、设施上张挂、张贴宣传品审批"), doc("A2", "城市建筑物、设施上张挂、张贴宣传品审批")]
    (finding,) = duplicate_findings(names_only)
    assert "名称相同" in finding.message and "依据重叠" not in finding.message
    basis = ["《中华人民共和国城市市容和环境卫生管理条例》第十七条"]
    (finding,) = duplicate_findings([doc("A1", names_only[0]["name"], citations=basis),
                                     doc("A2", names_only[1]["name"], citations=basis)])
    assert "依据重叠" in finding.message
    assert finding.evidence["pairs"][0]["shared_citations"]
