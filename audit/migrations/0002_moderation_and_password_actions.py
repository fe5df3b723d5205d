
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditrecord',
            name='action',
            field=models.CharField(choices=[('auth.login', '登录成功'), ('auth.login_failed', '登录失败'), ('auth.logout', '退出登录'), ('auth.lockout', '账户锁定'), ('auth.second_factor', '双因素认证变更'), ('perm.user_flags', '账户状态变更'), ('perm.user_groups', '用户所属组变更'), ('perm.user_permissions', '用户权限变更'), ('perm.group_permissions', '用户组权限变更'), ('page.publish', '发布页面'), ('page.unpublish', '撤销发布'), ('workflow.submit', '提交审核'), ('workflow.approve', '审核通过'), ('workflow.reject', '审核退回'), ('workflow.cancel', '撤回审核'), ('filing.status', '办件状态变更'), ('apikey.issue', '签发接口密钥'), ('apikey.revoke', '吊销接口密钥'), ('file.private_download', '下载非公开文件'), ('tamper.alert', '网页篡改告警'), ('tamper.baseline', '更新防篡改基线'), ('ops.backup', '数据备份'), ('ops.restore', '数据恢复'), ('audit.prune', '清理过期审计记录'), ('search.moderation', '热门搜索审核'), ('auth.password_change', '修改密码')], db_index=True, max_length=64, verbose_name='事件'),
        ),
    ]
