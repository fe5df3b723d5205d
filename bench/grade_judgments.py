"""How the judged queries of issue 14 (questions, 繁體, pinyin, typos, acronyms and names, numbers and codes) were
graded, kept so the grading can be read and repeated.

    .venv/bin/python bench/grade_judgments.py CORPUS.json POOLS.json   # writes tests/search/judgments.json

Each query below was written, before any change to the matching, from what people type on ministry sites, with
its intent: the concepts a relevant page must be about ("A|B & C": A or B, and C; alternatives are the official
names and the common short forms, always in simplified characters) and, where the query names one page, a piece
of that page's title (`target`). Candidates are the union of
  - the top 10 of every system in POOLS.json (our database backend, our Elasticsearch backend and the
    character-bigram baseline of bench/bigram.py, each given the query as typed and the intent's words), and
  - every document whose title or text holds all the concepts (plain substring search),
and each candidate is graded by one written rule, never by any system's score:
  3  the title holds the target (or, without a target, every concept); for a code or number (target "@text"),
     the text holds it;
  2  the title holds every concept (queries with a target), or one concept while the text holds all of them;
  1  the text holds every concept;
  0  otherwise (unlisted).
A query whose intent nothing in the demo is about has no judgments: it is meant to find nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = ROOT / "tests" / "search" / "judgments.json"

# (query as typed, category, intent concepts, target title piece or "")
QUERIES: list[tuple[str, str, str, str]] = [
    # --- questions: the words of a guide or notice wrapped in question and function words
    ("怎样办理注册会计师注册", "question", "注册会计师 & 注册", "注册会计师注册"),
    ("地方政府债券如何发行", "question", "专项债券|地方政府债券|地方政府债务|地方政府专项债 & 发行", ""),
    ("如何申请政府信息公开", "question", "政府信息公开|依申请公开", "政府信息公开申请"),
    ("代理记账资格怎么申请", "question", "代理记账", "代理记账资格审批"),
    ("会计师事务所执业许可怎么办理", "question", "会计师事务所 & 执业许可", "会计师事务所执业许可"),
    ("政府采购投诉怎么处理", "question", "政府采购 & 投诉", "政府采购投诉处理"),
    ("采购进口产品需要审核吗", "question", "进口产品", "政府采购进口产品审核"),
    ("会计资格考试报名需要什么条件", "question", "会计专业技术资格|会计资格 & 报名|资格审核", "会计专业技术资格考试报名资格审核"),
    ("什么是零基预算", "question", "零基预算", ""),
    ("个人所得税专项附加扣除标准是多少", "question", "专项附加扣除", ""),
    ("超长期特别国债怎么用", "question", "超长期特别国债", ""),
    ("小规模纳税人增值税怎么减免", "question", "小规模纳税人 & 增值税", ""),
    ("在哪里查政府采购中标公告", "question", "政府采购|采购 & 中标", ""),
    ("三公经费预算是多少", "question", "三公 & 经费", ""),
    ("创业担保贷款贴息有哪些申请条件", "question", "创业担保贷款 & 贴息", ""),
    ("中央对地方转移支付是怎么分配的", "question", "转移支付", ""),
    ("中央预算单位怎样变更政府采购方式", "question", "变更政府采购方式|变更采购方式", "变更政府采购方式审批"),
    ("请问预决算公开有什么要求", "question", "预决算公开", ""),
    ("哪些企业可以享受研发费用加计扣除", "question", "研发费用 & 加计扣除", ""),
    ("财政电子票据怎么管理", "question", "财政电子票据|电子票据", ""),
    # --- 繁體: the same words in traditional characters (intent in simplified)
    ("預決算公開", "traditional", "预决算公开", ""),
    ("國庫集中支付", "traditional", "国库集中支付", ""),
    ("政府採購投訴", "traditional", "政府采购 & 投诉", ""),
    ("財政電子票據", "traditional", "财政电子票据|电子票据", ""),
    ("專項債券", "traditional", "专项债券|专项债", ""),
    ("轉移支付", "traditional", "转移支付", ""),
    ("會計師事務所", "traditional", "会计师事务所", ""),
    ("減稅降費", "traditional", "减税降费", ""),
    ("個人所得稅", "traditional", "个人所得税", ""),
    ("資產評估", "traditional", "资产评估", ""),
    ("註冊會計師", "traditional", "注册会计师", ""),
    ("零基預算", "traditional", "零基预算", ""),
    ("超長期特別國債", "traditional", "超长期特别国债", ""),
    ("鄉村振興補助資金", "traditional", "乡村振兴 & 补助资金", ""),
    ("政府和社會資本合作", "traditional", "政府和社会资本合作|PPP", ""),
    ("代理記賬", "traditional", "代理记账", ""),
    ("財政收支情況", "traditional", "财政收支", ""),
    ("高標準農田建設", "traditional", "高标准农田|农田建设", ""),
    ("預算績效管理", "traditional", "预算绩效", ""),
    # --- pinyin, full spelling (with or without spaces)
    ("guoku", "pinyin", "国库", ""),
    ("lingjiyusuan", "pinyin", "零基预算", ""),
    ("zhuanyizhifu", "pinyin", "转移支付", ""),
    ("jianshuijiangfei", "pinyin", "减税降费", ""),
    ("dailijizhang", "pinyin", "代理记账", ""),
    ("zichanpinggu", "pinyin", "资产评估", ""),
    ("caipiaogongyijin", "pinyin", "彩票公益金", ""),
    ("zhucekuaijishi", "pinyin", "注册会计师", ""),
    ("texujingying", "pinyin", "特许经营", ""),
    ("fangguanfu", "pinyin", "放管服", ""),
    ("yujuesuan gongkai", "pinyin", "预决算公开", ""),
    ("zhengfucaigou", "pinyin", "政府采购", ""),
    ("xiangcun zhenxing", "pinyin", "乡村振兴", ""),
    ("caihuijiandu", "pinyin", "财会监督", ""),
    ("zhuanxiangzhaiquan", "pinyin", "专项债券", ""),
    ("guozhai", "pinyin", "国债", ""),
    # --- pinyin initials
    ("zfcg", "initials", "政府采购", ""),
    ("zxzq", "initials", "专项债券", ""),
    ("zyzf", "initials", "转移支付", ""),
    ("jsjf", "initials", "减税降费", ""),
    ("dljz", "initials", "代理记账", ""),
    ("zcpg", "initials", "资产评估", ""),
    ("cpgyj", "initials", "彩票公益金", ""),
    ("zckjs", "initials", "注册会计师", ""),
    ("ljys", "initials", "零基预算", ""),
    ("gkjzzf", "initials", "国库集中支付", ""),
    ("txjy", "initials", "特许经营", ""),
    ("sgjf", "initials", "三公 & 经费", ""),
    ("yjsgk", "initials", "预决算公开", ""),
    ("ccqtbgz", "initials", "超长期特别国债", ""),
    ("xczx", "initials", "乡村振兴", ""),
    ("chjd", "initials", "财会监督", ""),
    # --- homophone and variant-character slips
    ("国库集中支附", "typo", "国库集中支付", ""),
    ("资产评古", "typo", "资产评估", ""),
    ("代理记帐", "typo", "代理记账", ""),
    ("银行帐户", "typo", "银行账户|账户", ""),
    ("政府彩购", "typo", "政府采购", ""),
    ("转移支复", "typo", "转移支付", ""),
    ("减税将费", "typo", "减税降费", ""),
    ("零积预算", "typo", "零基预算", ""),
    ("彩票公益经", "typo", "彩票公益金", ""),
    ("注册会记师", "typo", "注册会计师", ""),
    ("会计师事物所", "typo", "会计师事务所", ""),
    ("香村振兴", "typo", "乡村振兴", ""),
    ("特需经营", "typo", "特许经营", ""),
    ("放管福", "typo", "放管服", ""),
    ("财会监都", "typo", "财会监督", ""),
    ("高标准农填", "typo", "高标准农田", ""),
    ("财政电子票剧", "typo", "财政电子票据|电子票据", ""),
    ("就业补住资金", "typo", "就业补助", ""),
    # --- acronyms, short names of bodies, laws and departments
    ("OECD", "acronym", "经济合作与发展组织|OECD", ""),
    ("亚投行", "acronym", "亚洲基础设施投资银行|亚投行", ""),
    ("AIIB", "acronym", "亚洲基础设施投资银行|亚投行", ""),
    ("金砖国家", "acronym", "金砖", ""),
    ("世行", "acronym", "世界银行", ""),
    ("IMF", "acronym", "国际货币基金组织", ""),
    ("APEC", "acronym", "亚太经合组织", ""),
    ("G20", "acronym", "二十国集团|G20", ""),
    ("10+3", "acronym", "东盟与中日韩", ""),
    ("WTO", "acronym", "世界贸易组织|世贸组织", ""),
    ("人社部", "acronym", "人力资源社会保障部|人社部", ""),
    ("住建部", "acronym", "住房城乡建设部|住房和城乡建设部", ""),
    ("工信部", "acronym", "工业和信息化部", ""),
    ("医保局 医疗救助", "acronym", "医疗救助", ""),
    ("CPA", "acronym", "注册会计师", ""),
    ("财科院", "acronym", "中国财政科学研究院", ""),
    ("专项债", "acronym", "专项债券|专项债", ""),
    ("会计法", "acronym", "会计法", "中华人民共和国会计法"),
    ("预算法", "acronym", "预算法", "中华人民共和国预算法"),
    # --- numbers and codes, typed the ways people type them
    ("财预[2024]9号", "codes", "财预〔2024〕9号", "@text"),
    ("财库〔2025〕5号", "codes", "财库〔2025〕5号", "@text"),
    ("财综2025 1号", "codes", "财综〔2025〕1号", "@text"),
    ("财债〔2024〕1号", "codes", "财债〔2024〕1号", "@text"),
    ("财金[2024]10号", "codes", "财金〔2024〕10号", "@text"),
    ("财政部令第115号", "codes", "财政部令第115号", "@text"),
    ("财政部令115号", "codes", "财政部令第115号", "@text"),
    ("000014349/2024-00012", "codes", "000014349/2024-00012", "@text"),
    ("索引号 000014349/2025-00003", "codes", "000014349/2025-00003", "@text"),
    ("ZC2024－0209", "codes", "ZC2024-0209", "@text"),
    ("zc2024-0200", "codes", "ZC2024-0200", "@text"),
    ("ZC2024 0197", "codes", "ZC2024-0197", "@text"),
    ("1723亿元", "codes", "1723亿元", "@text"),
    ("2025年就业补助资金", "codes", "2025年 & 就业补助资金", ""),
    ("2024年1—10月财政收支", "codes", "2024年1—10月 & 财政收支", ""),
    ("2026年减税降费", "codes", "2026年 & 减税降费", ""),
]


def concepts(intent: str) -> list[list[str]]:
    return [[alt.strip().lower() for alt in part.split("|")] for part in intent.split("&")]


def has(text: str, concept: list[str]) -> bool:
    return any(alt in text for alt in concept)


def mentions(text: str, concept: list[str]) -> int:
    return sum(text.count(alt) for alt in concept)


def grade(document: dict, intent: str, target: str) -> int:
    title = document["title"].lower()
    text = (document["title"] + " " + document["body"]).lower()
    wanted = concepts(intent)
    in_title = [has(title, concept) for concept in wanted]
    in_text = all(has(text, concept) for concept in wanted)
    if target == "@text":
        return 3 if in_text else 0
    if target and target.lower() in title or not target and all(in_title):
        return 3
    if all(in_title) or (any(in_title) and in_text):
        return 2
    if in_text:
        return 1
    return 0


def judge(corpus: list[dict], pools: dict[str, list[str]], q: str, intent: str, target: str) -> dict[str, int]:
    by_key = {document["url"]: document for document in corpus}
    wanted = concepts(intent)
    candidates = set(pools.get(q, []))
    candidates |= {document["url"] for document in corpus
                   if all(has((document["title"] + " " + document["body"]).lower(), concept) for concept in wanted)}
    graded = {key: grade(by_key[key], intent, target) for key in candidates if key in by_key}
    return dict(sorted(((key, value) for key, value in graded.items() if value), key=lambda kv: (-kv[1], kv[0])))


def _old_category(q: str) -> str:
    """The judged queries from before issue 14: codes and numbers, acronyms, or finance words."""
    if any(ch.isdigit() for ch in q):
        return "codes"
    if q.isascii():
        return "acronym"
    return "words"


def main() -> None:
    corpus = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    pools = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    data = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    old = [entry for entry in data["queries"] if entry.get("category") not in
           {"question", "traditional", "pinyin", "initials", "typo", "acronym", "codes"} or "intent" not in entry]
    new = []
    for q, category, intent, target in QUERIES:
        judgments = judge(corpus, pools, q, intent, target)
        note = (f"issue 14, {category}: intent “{intent}”" + (f", target “{target}”" if target else "")
                + "; graded by the rule of bench/grade_judgments.py over pooled candidates")
        new.append({"q": q, "category": category, "intent": intent, "note": note, "judgments": judgments})
    for entry in old:
        entry.setdefault("category", _old_category(entry["q"]))
    data["queries"] = old + new
    JUDGMENTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(new)} new queries; {sum(1 for e in new if not e['judgments'])} with nothing to find")


if __name__ == "__main__":
    main()
