from django.apps import AppConfig


class WebAuthConfig(AppConfig):
    name = "saraban.web.auth"
    label = "web_auth"
    verbose_name = "หน้าเว็บ: เข้าสู่ระบบ"
