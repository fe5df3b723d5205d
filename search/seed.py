"""The synonym groups citizens need most (acronyms, short forms and official full names), seeded by a migration
and again by the demo loader when a database was flushed (as browser tests do)."""

from django.apps import apps as global_apps

SEED_NOTE = "初始同义词"

SEED_GROUPS = [
    ("PPP", "政府和社会资本合作"),
    ("GDP", "国内生产总值"),
    ("CPI", "居民消费价格指数"),
    ("PPI", "生产者价格指数"),
    ("营改增", "营业税改征增值税"),
    ("个税", "个人所得税"),
    ("专项债", "专项债券", "地方政府专项债券"),
    ("地方债", "地方政府债券"),
    ("一般债", "一般债券", "地方政府一般债券"),
    ("国债", "国库券"),
    ("社保", "社会保险", "社会保障"),
    ("社保基金", "社会保障基金", "全国社会保障基金"),
    ("医保", "医疗保险", "基本医疗保险"),
    ("养老金", "基本养老金", "养老保险金"),
    ("低保", "最低生活保障"),
    ("留抵退税", "增值税留抵退税", "增值税期末留抵税额退税"),
    ("减税降费", "税费支持政策"),
    ("政采", "政府采购"),
    ("招投标", "招标投标"),
    ("一网通办", "网上办事"),
    ("信息公开", "政府信息公开"),
    ("预决算", "预算和决算"),
    ("绩效评价", "绩效评估"),
    ("转移支付", "财政转移支付"),
    ("国资", "国有资产"),
    ("国企", "国有企业"),
    ("双碳", "碳达峰碳中和"),
    ("两新", "大规模设备更新和消费品以旧换新"),
    ("小微企业", "小型微利企业"),
    ("统一社会信用代码", "信用代码"),
    ("办事指南", "服务指南"),
    # Issue 14 (migration 0006): the names people actually use. International bodies and meetings:
    ("WTO", "世界贸易组织", "世贸组织"),
    ("OECD", "经济合作与发展组织", "经合组织"),
    ("亚投行", "亚洲基础设施投资银行", "AIIB"),
    ("金砖国家", "金砖", "BRICS"),
    ("新开发银行", "金砖银行", "NDB"),
    ("世行", "世界银行", "World Bank"),
    ("IMF", "国际货币基金组织"),
    ("APEC", "亚太经合组织", "亚太经济合作组织"),
    ("G20", "二十国集团"),
    ("10+3", "东盟与中日韩"),
    ("亚行", "亚洲开发银行", "ADB"),
    ("联合国", "UN"),
    ("欧盟", "欧洲联盟", "EU"),
    ("东盟", "东南亚国家联盟", "ASEAN"),
    # laws and programmes by their short names
    ("预算法", "中华人民共和国预算法"),
    ("政府采购法", "中华人民共和国政府采购法"),
    ("会计法", "中华人民共和国会计法"),
    ("注会", "注册会计师", "CPA"),
    ("六税两费", "六税两费减半征收"),
    ("国库集中支付", "国库集中收付"),
    ("三保", "保基本民生保工资保运转"),
    # departments by their short names
    ("人社部", "人力资源社会保障部", "人力资源和社会保障部"),
    ("住建部", "住房城乡建设部", "住房和城乡建设部"),
    ("工信部", "工业和信息化部"),
    ("发改委", "国家发展改革委", "国家发展和改革委员会"),
    ("医保局", "国家医保局", "国家医疗保障局"),
    ("税务总局", "国家税务总局", "国税总局"),
    ("央行", "中国人民银行", "人民银行"),
    ("农业农村部", "农业部"),
    ("退役军人部", "退役军人事务部"),
    ("财科院", "中国财政科学研究院"),
    ("国资委", "国务院国有资产监督管理委员会"),
    ("统计局", "国家统计局"),
]


# Seeded once and withdrawn: 、 separates terms in a group, so the long form split into four loose synonyms.
WITHDRAWN_GROUPS = [("三公经费", "因公出国（境）费、公务用车购置及运行费、公务接待费")]


def ensure_seed_synonyms(apps=global_apps) -> None:
    """Create the seed groups that are missing (idempotent; editors' own groups are left alone)."""
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=["\n".join(group) for group in WITHDRAWN_GROUPS], note=SEED_NOTE).delete()
    for group in SEED_GROUPS:
        terms = "\n".join(group)
        if not Synonym.objects.filter(terms=terms).exists():
            Synonym.objects.create(terms=terms, note=SEED_NOTE)


def remove_seed_synonyms(apps=global_apps) -> None:
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=["\n".join(group) for group in SEED_GROUPS], note=SEED_NOTE).delete()
