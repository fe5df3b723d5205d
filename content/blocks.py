"""The body blocks editors compose articles, policies and interpretations from."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript", "subscript"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label="图片")
    caption = blocks.CharBlock(label="图注", required=False, max_length=200)

    class Meta:
        label = "图片"
        icon = "image"
        template = "content/blocks/captioned_image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", required=False, max_length=200, help_text="留空则使用文件标题。")

    class Meta:
        label = "附件"
        icon = "doc-full"
        template = "content/blocks/attachment.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="引文")
    attribution = blocks.CharBlock(label="出处", required=False, max_length=100)

    class Meta:
        label = "引文"
        icon = "openquote"
        template = "content/blocks/quote.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label="小标题", form_classname="title", max_length=100,
                               template="content/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label="段落", features=RICH_TEXT_FEATURES)
    image = CaptionedImageBlock()
    table = TableBlock(label="表格", table_options={"startRows": 3, "startCols": 3, "colHeaders": False,
                                                    "rowHeaders": False, "language": "zh-CN"},
                       template="content/blocks/table.html")
    attachment = AttachmentBlock()
    quote = QuoteBlock()


class TopicBlock(blocks.StreamBlock):
    """Curated blocks of a topic page: a text, a hand-picked list of pages, a highlighted link."""

    text = blocks.RichTextBlock(label="文字", features=RICH_TEXT_FEATURES)
    pages = blocks.StructBlock(
        [
            ("heading", blocks.CharBlock(label="标题", max_length=40)),
            ("items", blocks.ListBlock(blocks.PageChooserBlock(label="页面"), label="页面")),
        ],
        label="精选内容", icon="list-ul", template="content/blocks/topic_pages.html",
    )
    link = blocks.StructBlock(
        [
            ("title", blocks.CharBlock(label="标题", max_length=40)),
            ("description", blocks.CharBlock(label="说明", max_length=120, required=False)),
            ("page", blocks.PageChooserBlock(label="页面", required=False)),
            ("url", blocks.URLBlock(label="外部网址", required=False)),
        ],
        label="入口链接", icon="link", template="content/blocks/topic_link.html",
    )
