"""What the guard reads from a rendered page: no database."""

from guard import markup

PAGE = """<html><body><header><h1>金财门户</h1><a href="/">首页</a></header>
<main><h1>关于印发通知</h1><p>各单位：截止目前完成。</p><h3>附件</h3>
<img src="/media/a.png"><img src="/media/b.png" alt="">
<table><tr><td>项目</td></tr></table><table><tr><th>金额</th></tr></table>
<a href="/documents/3/x.pdf">附件</a><script>var a = "此处填写";</script></main>
<footer><p><span>主办单位：财政部</span><span>网站标识码：bm99000001</span>
<a href="https://beian.miit.gov.cn/">京ICP备20260001号</a><span>京公网安备11010202026001号</span>
<a class="badge"><img src="/static/img/badge.svg" alt="党政机关网站标识"></a></p></footer></body></html>"""


def test_parse_reads_links_images_and_main_text_without_scripts():
    parsed = markup.parse(PAGE)
    assert parsed.links == ["/", "/documents/3/x.pdf", "https://beian.miit.gov.cn/"]
    assert "截止目前完成" in parsed.main_text and "此处填写" not in parsed.main_text


def test_accessibility_finds_missing_alt_skipped_heading_and_headerless_table():
    findings = markup.accessibility(page_id=1, title="通知", markup=markup.parse(PAGE))
    assert [f.indicator for f in findings] == ["markup_img_alt", "markup_heading_order", "markup_table_header"]
    assert findings[0].detail == "1张图片没有 alt 替代文字"  # alt="" marks a decorative image, which is fine
    assert findings[1].detail == "h1 之后直接出现 h3"


def test_well_formed_page_has_no_accessibility_findings():
    html = "<main><h1>标题</h1><h2>一</h2><h3>二</h3><h2>三</h2><img src='a' alt='图'><table><th>x</th></table></main>"
    assert markup.accessibility(page_id=1, title="t", markup=markup.parse(html)) == []


def test_identity_marks_need_the_link_where_a_link_is_required():
    present = markup.identity_marks(markup.parse(PAGE))
    assert present == {"网站标识码", "主办单位", "ICP备案号", "ICP备案查询链接", "公安机关备案号", "党政机关标识"}
