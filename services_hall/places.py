"""Where each page of the hall sits in the page tree (portal/places.py): behind the 政务服务 or the 互动交流 door."""

from portal.places import Place, place_context_processor


def places() -> dict[str, Place]:
    from .models import InteractionPage, ServicesHallPage

    hall, letters = ServicesHallPage, InteractionPage
    mine = (("我的办件", "services_hall:my_applications"),)
    published = (("留言选登", "services_hall:letter_list"),)
    return {
        "inquiry": Place(hall, "办件查询"),
        "register": Place(hall, "注册"),
        "register_sent": Place(hall, "注册"),
        "register_kind": Place(hall, "注册"),
        "resend_verification": Place(hall, "重发验证邮件"),
        "verify_email": Place(hall, "验证邮箱"),
        "login": Place(hall, "登录"),
        "logout": Place(hall, "退出"),
        "password_reset": Place(hall, "找回密码"),
        "password_reset_done": Place(hall, "找回密码"),
        "password_reset_complete": Place(hall, "找回密码"),
        "password_reset_confirm": Place(hall, "设置新密码"),
        "apply": Place(hall, "在线申报"),
        "my_applications": Place(hall, "我的办件"),
        "application_detail": Place(hall, "办件详情", mine),
        "application_submitted": Place(hall, "申报成功", mine),
        "application_supplement": Place(hall, "补正材料", mine),
        "application_withdraw": Place(hall, "撤回申请", mine),
        "application_rate": Place(hall, "评价", mine),
        "letter_list": Place(letters, "留言选登"),
        "letter_write": Place(letters, "写信"),
        "letter_sent": Place(letters, "写信"),
        "letter_statistics": Place(letters, "办理统计"),
        "letter_detail": Place(letters, "留言详情", published),
    }


place = place_context_processor("services_hall", places, default="inquiry")
