"""The applicant's side of the services hall, as a person using it sees it: register, verify, log in, file,
follow the case, answer a 补正, withdraw, rate."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from services_hall.models import Applicant, Application, ApplicationMaterial, Rating
from services_hall.services import application_transition
from services_hall.storage import private_storage
from services_hall.workflow import Action, Status

from .factories import ApplicantFactory, id_number_for, uscc_for
from .files import pdf_bytes, png_bytes, upload

PASSWORD = "Jincai-2026-secure"
MY = "/hall/my/"
LOGIN = "/hall/login/"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


def text(response) -> str:
    return response.content.decode()


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# ------------------------------------------------------------------------------------------------ registration


def enterprise_data(**overrides) -> dict:
    return {
        "uscc": uscc_for(4242), "name": "福州市鼓楼区诚信代理记账有限公司", "contact_name": "林晓",
        "phone": "13912345678", "email": "lin.xiao@example.com", "password1": PASSWORD, "password2": PASSWORD,
        **overrides,
    }


def individual_data(**overrides) -> dict:
    return {
        "name": "陈明", "id_number": id_number_for(77), "phone": "13700001111", "email": "chen.ming@example.com",
        "password1": PASSWORD, "password2": PASSWORD, **overrides,
    }


def verification_link(message) -> str:
    return re.search(r"http://testserver(/hall/verify/\S+/\S+/)", message.body)[1]


def register_enterprise(client, **overrides):
    return client.post("/hall/register/enterprise/", enterprise_data(**overrides))


def test_the_register_page_offers_enterprise_and_individual_accounts(client, home):
    page = client.get("/hall/register/")

    assert page.status_code == 200
    assert "法人注册" in text(page) and "统一社会信用代码" in text(page)
    assert "自然人注册" in text(page) and "居民身份证号" in text(page)


def test_a_bad_credit_code_is_refused_beside_the_field_and_what_was_typed_is_kept(client, home):
    good = uscc_for(4242)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = register_enterprise(client, uscc=bad)

    assert response.status_code == 400
    assert "统一社会信用代码校验位不正确" in text(response)
    assert f'value="{bad}"' in text(response)
    assert 'value="福州市鼓楼区诚信代理记账有限公司"' in text(response)
    assert 'value="lin.xiao@example.com"' in text(response)
    assert PASSWORD not in text(response)  # passwords are never echoed back
    assert not Applicant.objects.exists() and mail.outbox == []


def test_registration_names_each_wrong_field_in_chinese(client, home):
    response = register_enterprise(client, phone="12345", password2="something-else", email="not-an-email")

    assert response.status_code == 400
    assert "请输入正确的11位手机号码" in text(response)
    assert "两次输入的密码不一致" in text(response)
    assert "请输入有效的电子邮箱地址" in text(response)
    assert "请填写联系人。" in text(register_enterprise(client, contact_name=""))


def test_a_good_enterprise_registration_sends_a_verification_email_and_waits_for_it(client, home):
    response = register_enterprise(client, uscc=uscc_for(4242).lower())

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "请验证邮箱" in text(page) and "l***@example.com" in text(page)
    applicant = Applicant.objects.get()
    assert (applicant.kind, applicant.uscc, applicant.contact_name) == ("enterprise", uscc_for(4242), "林晓")
    assert applicant.user.is_active is False
    (message,) = mail.outbox
    assert message.to == ["lin.xiao@example.com"]
    assert "验证" in message.subject
    assert verification_link(message)


def test_an_individual_registers_with_a_checked_id_number(client, home):
    bad = client.post("/hall/register/individual/", individual_data(id_number=id_number_for(77)[:-1] + "0"))
    if "校验位" not in text(bad):  # the check digit happened to be 0: use another wrong one
        bad = client.post("/hall/register/individual/", individual_data(id_number=id_number_for(77)[:-1] + "1"))
    assert bad.status_code == 400 and "居民身份证号校验位不正确" in text(bad)

    good = client.post("/hall/register/individual/", individual_data())
    assert good.status_code == 302
    applicant = Applicant.objects.get()
    assert (applicant.kind, applicant.id_number, applicant.uscc) == ("individual", id_number_for(77), "")


def test_a_credit_code_or_email_already_registered_gets_the_same_answer_and_only_the_owner_hears_of_it(client, home):
    register_enterprise(client)
    mail.outbox.clear()
    again = register_enterprise(client, email="other@example.com")
    same_email = register_enterprise(client, uscc=uscc_for(4243), email="LIN.XIAO@example.com")
    new = register_enterprise(client, uscc=uscc_for(4244), email="new.owner@example.com")

    # The page does not tell a stranger whether the code or the address has an account.
    assert again.status_code == same_email.status_code == new.status_code == 302
    assert again["Location"] == same_email["Location"] == new["Location"]
    assert Applicant.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["lin.xiao@example.com"], ["lin.xiao@example.com"], ["new.owner@example.com"]]
    assert "重复注册" in mail.outbox[0].subject


# ------------------------------------------------------------------------------------------------ verify and log in


def test_an_unverified_account_can_neither_log_in_nor_file(client, guide):
    register_enterprise(client)

    login = client.post(LOGIN, {"username": uscc_for(4242), "password": PASSWORD})
    assert login.status_code == 400
    assert "尚未验证邮箱" in text(login)

    apply = client.get(f"/hall/apply/{guide.pk}/")
    assert apply.status_code == 302 and apply["Location"].startswith(LOGIN)
    assert not Application.objects.exists()


def test_the_verification_link_activates_the_account_once(client, home):
    register_enterprise(client)
    link = verification_link(mail.outbox[0])

    first = client.get(link)
    assert first.status_code == 200 and "邮箱验证成功" in text(first)
    assert get_user_model().objects.get(username=uscc_for(4242)).is_active
    again = client.get(link)
    assert again.status_code == 400 and "验证链接无效或已过期" in text(again)
    forged = client.get(link.replace(link.split("/")[-2], "abc-123"))
    assert forged.status_code == 400


def test_resending_the_verification_email_answers_the_same_for_any_address(client, home):
    register_enterprise(client)
    mail.outbox.clear()

    known = client.post("/hall/verify/resend/", {"email": "lin.xiao@example.com"})
    unknown = client.post("/hall/verify/resend/", {"email": "nobody@example.com"})

    assert "如果该邮箱已注册且尚未验证" in text(known) and "如果该邮箱已注册且尚未验证" in text(unknown)
    assert [m.to for m in mail.outbox] == [["lin.xiao@example.com"]]


def test_login_by_credit_code_or_email_leads_to_my_applications(client, home):
    register_enterprise(client)
    client.get(verification_link(mail.outbox[0]))

    by_code = client.post(LOGIN, {"username": f" {uscc_for(4242).lower()} ", "password": PASSWORD})
    assert by_code.status_code == 302 and by_code["Location"] == MY
    page = client.get(MY)
    assert "我的办件" in text(page) and "您还没有办件" in text(page)

    logout = client.post("/hall/logout/", follow=True)
    assert "您已安全退出" in text(logout)
    assert client.get(MY)["Location"].startswith(LOGIN)
    by_email = client.post(LOGIN, {"username": "LIN.XIAO@example.com", "password": PASSWORD})
    assert by_email.status_code == 302


def test_a_wrong_password_gets_one_neutral_message(client, home):
    register_enterprise(client)
    client.get(verification_link(mail.outbox[0]))

    wrong = client.post(LOGIN, {"username": uscc_for(4242), "password": "wrong-password"})
    unknown = client.post(LOGIN, {"username": uscc_for(9999), "password": PASSWORD})

    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "登录名或密码不正确" in text(response)


def test_too_many_login_attempts_from_one_address_get_429_in_chinese(client, home, settings):
    settings.SERVICES_HALL_LOGIN_RATE = "2/m"
    codes = [client.post(LOGIN, {"username": uscc_for(1), "password": "guess"}).status_code for _ in range(3)]

    assert codes == [400, 400, 429]
    assert "操作过于频繁" in text(client.post(LOGIN, {"username": uscc_for(1), "password": "guess"}))
    assert client.get(LOGIN).status_code == 200


def test_password_reset_by_email_in_chinese(client, home):
    register_enterprise(client)
    client.get(verification_link(mail.outbox[0]))
    mail.outbox.clear()

    sent = client.post("/hall/password-reset/", {"email": "lin.xiao@example.com"}, follow=True)
    assert "重设密码邮件已发送" in text(sent)
    (message,) = mail.outbox
    assert "重新设置密码" in message.subject
    link = re.search(r"http://testserver(/hall/password-reset/\S+/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    assert "设置新密码" in text(form)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Another-Secret-2026", "new_password2": "Another-Secret-2026"},
        follow=True,
    )
    assert "密码已重新设置" in text(done)
    assert client.post(LOGIN, {"username": uscc_for(4242), "password": "Another-Secret-2026"}).status_code == 302


# ------------------------------------------------------------------------------------------------ filing


FORM = {"company_name": "福州鼓楼代理记账有限公司", "staff_count": "3", "scope": "代理记账"}
PDF = pdf_bytes("application form")
PNG = png_bytes()


def material_ids(guide) -> dict[str, int]:
    return {m.name: m.pk for m in guide.materials.all()}


def filing(guide, key="key-1", **files) -> dict:
    ids = material_ids(guide)
    data = {**FORM, "idempotency_key": key}
    default = {"代理记账资格申请表": [upload("申请表.pdf", PDF)], "营业执照": [upload("营业执照.png", PNG)]}
    for name, uploads in {**default, **files}.items():
        if uploads:
            data[f"material_{ids[name]}"] = uploads
    return data


@pytest.fixture
def me(client, applicant):
    client.force_login(applicant.user)
    return applicant


def file_one(client, guide, **kwargs) -> Application:
    response = client.post(f"/hall/apply/{guide.pk}/", filing(guide, **kwargs))
    assert response.status_code == 302, text(response)
    return Application.objects.get(tracking_number=response["Location"].split("/")[-3])


def test_a_guide_open_for_filing_shows_the_online_filing_button(client, guide):
    page = client.get(guide.url)
    assert "在线申报" in text(page) and f"/hall/apply/{guide.pk}/" in text(page)

    guide.online_filing_open = False
    guide.save_revision().publish()
    page = client.get(guide.url)
    assert f"/hall/apply/{guide.pk}/" not in text(page)


def test_the_form_shows_the_guides_fields_each_material_and_a_fresh_key(client, guide, me):
    page = client.get(f"/hall/apply/{guide.pk}/")

    assert page.status_code == 200
    for label in ("机构名称", "专职从业人员数", "业务范围", "代理记账资格申请表", "营业执照", "办公场所证明"):
        assert label in text(page)
    assert text(page).count('type="file"') == 3
    key = re.search(r'name="idempotency_key" value="([^"]+)"', text(page))[1]
    assert len(key) >= 20
    assert key != re.search(r'name="idempotency_key" value="([^"]+)"', text(client.get(f"/hall/apply/{guide.pk}/")))[1]


def test_a_closed_guide_cannot_be_filed_online(client, guide, me):
    guide.online_filing_open = False
    guide.save_revision().publish()

    response = client.get(f"/hall/apply/{guide.pk}/")
    assert response.status_code == 404 and "暂未开通网上申报" in text(response)


def test_filing_with_a_pdf_and_a_png_gives_the_numbers_and_keeps_the_files_intact(client, guide, me):
    response = client.post(f"/hall/apply/{guide.pk}/", filing(guide), follow=True)

    application = Application.objects.get()
    assert application.applicant == me and application.status == Status.SUBMITTED
    assert application.form_data["company_name"] == "福州鼓楼代理记账有限公司"
    page = text(response)
    assert "申报成功" in page
    assert application.tracking_number in page and application.query_code in page
    assert "请妥善保管申报号和查询码" in page
    hashes = {m.name: m.sha256 for m in application.materials.all()}
    assert hashes == {
        "代理记账资格申请表": hashlib.sha256(PDF).hexdigest(),
        "营业执照": hashlib.sha256(PNG).hexdigest(),
    }
    for material in application.materials.all():
        with private_storage.open(material.file.name) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == material.sha256


def test_a_double_post_with_the_same_key_files_one_application(client, guide, me):
    first = client.post(f"/hall/apply/{guide.pk}/", filing(guide, key="same-key"))
    second = client.post(f"/hall/apply/{guide.pk}/", filing(guide, key="same-key"))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    assert ApplicationMaterial.objects.count() == 2


def test_a_missing_required_material_is_named_and_the_typed_fields_are_kept(client, guide, me, private_media):
    response = client.post(f"/hall/apply/{guide.pk}/", filing(guide, 营业执照=None))

    assert response.status_code == 400
    assert "缺少必需材料：营业执照" in text(response)
    assert 'value="福州鼓楼代理记账有限公司"' in text(response)
    assert "请重新选择全部材料文件" in text(response)
    assert not Application.objects.exists() and stored_files(private_media) == []


def test_a_text_file_renamed_pdf_is_refused(client, guide, me, private_media):
    fake = upload("申请表.pdf", "这其实是一个文本文件\n".encode() * 20, "application/pdf")
    response = client.post(f"/hall/apply/{guide.pk}/", filing(guide, 代理记账资格申请表=[fake]))

    assert response.status_code == 400
    assert "不是允许的格式" in text(response) and "申请表.pdf" in text(response)
    assert not Application.objects.exists() and stored_files(private_media) == []


def test_a_png_named_pdf_is_refused_for_its_lying_extension(client, guide, me):
    response = client.post(f"/hall/apply/{guide.pk}/", filing(guide, 代理记账资格申请表=[upload("申请表.pdf", PNG)]))

    assert response.status_code == 400
    assert "扩展名与内容不符" in text(response)


def test_an_oversize_file_is_refused_with_a_message(client, guide, me, settings):
    settings.SERVICES_HALL_UPLOAD_MAX_BYTES = 1024
    big = upload("申请表.pdf", pdf_bytes("x" * 4000))
    response = client.post(f"/hall/apply/{guide.pk}/", filing(guide, 代理记账资格申请表=[big]))

    assert response.status_code == 400
    assert "超过大小上限 1 KB" in text(response)
    assert not Application.objects.exists()


def test_a_bad_value_in_a_guide_field_is_shown_beside_it(client, guide, me):
    data = filing(guide)
    data["staff_count"] = "三个"
    data["company_name"] = ""
    response = client.post(f"/hall/apply/{guide.pk}/", data)

    assert response.status_code == 400
    assert "必需字段" in text(response)
    assert "输入一个数字" in text(response)
    assert text(response).count("必需字段") == 1  # the service's check of the same rule is not repeated
    assert not Application.objects.exists()


def test_a_staff_account_is_told_to_use_an_applicant_account(client, guide, intake):
    client.force_login(intake)

    response = client.get(f"/hall/apply/{guide.pk}/")
    assert response.status_code == 403 and "请使用申请人账户" in text(response)


# ------------------------------------------------------------------------------------------------ my applications


def test_my_applications_lists_status_and_the_time_left(client, guide, me):
    application = file_one(client, guide)

    page = text(client.get(MY))
    assert "代理记账资格审批" in page and application.tracking_number in page
    assert "已提交" in page
    assert "剩余 5 个工作日" in page  # the five-day intake limit starts on the day of filing


def test_the_application_page_shows_timeline_deadline_and_downloads_for_the_owner(client, guide, me, intake):
    application = file_one(client, guide)
    application_transition(application=application, action=Action.ACCEPT, actor=intake, comment="材料齐全")

    page = text(client.get(f"{MY}{application.tracking_number}/"))
    assert "提交申请" in page and "受理" in page and "材料齐全" in page
    assert "承诺办结期限" in page and "剩余 5 个工作日" in page
    assert "申请表.pdf" in page and "营业执照.png" in page

    pdf = application.materials.get(name="代理记账资格申请表")
    download = client.get(f"/hall/files/{pdf.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_another_user_can_neither_see_the_application_nor_download_its_files(client, guide, me):
    application = file_one(client, guide)
    material = application.materials.first()
    other = ApplicantFactory()
    client.force_login(other.user)

    assert client.get(f"{MY}{application.tracking_number}/").status_code == 404
    assert client.get(f"/hall/files/{material.pk}/").status_code == 404
    assert client.get("/hall/files/999999/").status_code == 404  # the same answer as for a file that does not exist
    assert application.tracking_number not in text(client.get(MY))
    withdraw = client.post(f"{MY}{application.tracking_number}/withdraw/")
    assert withdraw.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_files_are_served_to_intake_staff_but_never_to_anonymous_visitors(client, guide, me, intake, reviewer):
    application = file_one(client, guide)
    material = application.materials.first()
    client.logout()

    anonymous = client.get(f"/hall/files/{material.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(LOGIN)
    for staff in (intake, reviewer):
        client.force_login(staff)
        assert client.get(f"/hall/files/{material.pk}/").status_code == 200


# ------------------------------------------------------------------------------------------------ 补正, withdraw, rating


@pytest.fixture
def in_correction(client, guide, me, intake):
    application = file_one(client, guide)
    return application_transition(
        application=application, action=Action.REQUEST_CORRECTION, actor=intake, comment="材料不全",
        correction_items=["营业执照副本", "办公场所证明"],
    )


def test_a_correction_is_answered_once_with_all_the_requested_material(client, in_correction):
    url = f"{MY}{in_correction.tracking_number}/"
    page = text(client.get(url))
    assert "请补正材料" in page and "营业执照副本" in page and "办公场所证明" in page and "材料不全" in page
    assert "等待补正材料，补齐后开始计算办理时限" in page  # asked before acceptance: no clock runs yet

    partial = client.post(f"{url}supplement/", {"item_0": upload("副本.pdf", pdf_bytes("copy"))})
    assert partial.status_code == 400
    assert "尚缺：办公场所证明" in text(partial)
    assert ApplicationMaterial.objects.filter(for_correction=True).count() == 0

    done = client.post(
        f"{url}supplement/",
        {"item_0": upload("副本.pdf", pdf_bytes("copy")), "item_1": upload("场所.png", PNG), "comment": "已补齐"},
        follow=True,
    )
    assert "补正材料已提交" in text(done) and "审查中" in text(done)
    in_correction.refresh_from_db()
    assert in_correction.status == Status.UNDER_REVIEW
    assert sorted(in_correction.materials.filter(for_correction=True).values_list("name", flat=True)) == [
        "办公场所证明", "营业执照副本",
    ]

    again = client.post(
        f"{url}supplement/", {"item_0": upload("副本.pdf", pdf_bytes("copy")), "item_1": upload("场所.png", PNG)}
    )
    assert again.status_code == 403
    assert "不能执行“提交补正材料”" in text(again)
    assert in_correction.materials.filter(for_correction=True).count() == 2


def test_a_bad_file_in_a_correction_is_named_beside_its_item(client, in_correction):
    response = client.post(
        f"{MY}{in_correction.tracking_number}/supplement/",
        {"item_0": upload("副本.pdf", b"plain text, not a pdf" * 10), "item_1": upload("场所.png", PNG)},
    )

    assert response.status_code == 400
    assert "不是允许的格式" in text(response)
    in_correction.refresh_from_db()
    assert in_correction.status == Status.CORRECTION


def test_the_applicant_withdraws_before_the_decision(client, guide, me):
    application = file_one(client, guide)
    url = f"{MY}{application.tracking_number}/"
    assert "撤回申请" in text(client.get(url))

    response = client.post(f"{url}withdraw/", {"comment": "材料需重新准备"}, follow=True)
    assert "申请已撤回" in text(response) and "已撤回" in text(response)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.events.last().comment == "材料需重新准备"
    assert 'action="/hall/my/' + application.tracking_number + '/withdraw/"' not in text(response)

    again = client.post(f"{url}withdraw/")
    assert again.status_code == 403 and "不能执行“撤回申请”" in text(again)


def _close(application, intake, reviewer):
    for action, actor in ((Action.ACCEPT, intake), (Action.START_REVIEW, reviewer), (Action.APPROVE, reviewer),
                          (Action.CLOSE, intake)):
        application = application_transition(application=application, action=action, actor=actor)
    return application


def test_a_closed_application_is_rated_and_a_poor_rating_needs_a_reason(client, guide, me, intake, reviewer):
    application = file_one(client, guide)
    url = f"{MY}{application.tracking_number}/"
    assert "好差评" not in text(client.get(url))
    early = client.post(f"{url}rate/", {"level": "5"})
    assert early.status_code == 400 and "办结后才能评价" in text(early)

    _close(application, intake, reviewer)
    page = text(client.get(url))
    assert "好差评" in page and "非常满意" in page and "非常不满意" in page

    no_reason = client.post(f"{url}rate/", {"level": "2", "reason": ""})
    assert no_reason.status_code == 400
    assert "选择“不满意”时请填写理由" in text(no_reason)
    assert not Rating.objects.exists()

    rated = client.post(f"{url}rate/", {"level": "2", "reason": "窗口答复不够清楚"}, follow=True)
    assert "感谢您的评价" in text(rated) and "我的评价" in text(rated) and "窗口答复不够清楚" in text(rated)
    rating = Rating.objects.get()
    assert (rating.level, rating.follow_up) == (2, Rating.FollowUp.OPEN)

    twice = client.post(f"{url}rate/", {"level": "5"})
    assert twice.status_code == 400 and "不能重复评价" in text(twice)


def test_an_optional_material_is_filed_when_given(client, guide, me):
    application = file_one(client, guide, 办公场所证明=[upload("租赁合同.pdf", pdf_bytes("lease"))])

    assert sorted(application.materials.values_list("name", flat=True)) == ["代理记账资格申请表", "办公场所证明", "营业执照"]
