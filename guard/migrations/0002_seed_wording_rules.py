"""A starting 用语检查 list for finance writing; editors change it under 网站检查 › 用语检查规则."""

from django.db import migrations

# (kind, wrong, right, note)
SEED = [
    ("typo", "会计帐簿", "会计账簿", "涉及钱财、账目用“账”"),
    ("typo", "帐簿", "账簿", "涉及钱财、账目用“账”"),
    ("typo", "帐户", "账户", "涉及钱财、账目用“账”"),
    ("typo", "帐目", "账目", "涉及钱财、账目用“账”"),
    ("typo", "帐务", "账务", "涉及钱财、账目用“账”"),
    ("typo", "记帐", "记账", "涉及钱财、账目用“账”"),
    ("typo", "对帐", "对账", "涉及钱财、账目用“账”"),
    ("typo", "转帐", "转账", "涉及钱财、账目用“账”"),
    ("typo", "报帐", "报账", "涉及钱财、账目用“账”"),
    ("typo", "截止目前", "截至目前", "“截至”后接时间点，“截止”表示到期停止"),
    ("typo", "截止到", "截至", "“截至”后接时间点"),
    ("typo", "截止今年", "截至今年", "“截至”后接时间点"),
    ("typo", "截止年底", "截至年底", "“截至”后接时间点"),
    ("typo", "截止上年", "截至上年", "“截至”后接时间点"),
    ("typo", "签定", "签订", "订立合同、协议用“签订”"),
    ("typo", "布署", "部署", ""),
    ("typo", "部暑", "部署", ""),
    ("typo", "按排", "安排", ""),
    ("typo", "拔付", "拨付", "资金拨付"),
    ("typo", "拔款", "拨款", ""),
    ("typo", "既往不究", "既往不咎", ""),
    ("typo", "贯切落实", "贯彻落实", ""),
    ("typo", "坚苦奋斗", "艰苦奋斗", ""),
    ("typo", "精减机构", "精简机构", ""),
    ("normative", "国资委", "国务院国资委", "首次出现时写明机构名称"),
    ("normative", "发改委", "国家发展改革委", "国家发展和改革委员会的规范简称"),
    ("normative", "人社部", "人力资源社会保障部", "规范简称"),
    ("normative", "人民银行", "中国人民银行", "机构全称"),
    ("normative", "《预算法》", "《中华人民共和国预算法》", "法律名称首次出现用全称"),
    ("normative", "《政府采购法》", "《中华人民共和国政府采购法》", "法律名称首次出现用全称"),
    ("normative", "《会计法》", "《中华人民共和国会计法》", "法律名称首次出现用全称"),
    ("normative", "《注册会计师法》", "《中华人民共和国注册会计师法》", "法律名称首次出现用全称"),
    ("normative", "台湾总统", "台湾地区领导人", "涉台规范表述"),
    ("normative", "中共十八大", "党的十八大", "规范表述"),
    ("forbidden", "此处填写", "", "模板占位文字不得发布"),
    ("forbidden", "测试测试", "", "测试内容不得发布"),
    ("forbidden", "XXX", "", "占位符不得发布"),
]


def seed(apps, schema_editor):
    WordingRule = apps.get_model("guard", "WordingRule")
    for kind, wrong, right, note in SEED:
        WordingRule.objects.get_or_create(kind=kind, wrong=wrong, defaults={"right": right, "note": note})


def unseed(apps, schema_editor):
    WordingRule = apps.get_model("guard", "WordingRule")
    for kind, wrong, _right, _note in SEED:
        WordingRule.objects.filter(kind=kind, wrong=wrong).delete()


class Migration(migrations.Migration):
    dependencies = [("guard", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
