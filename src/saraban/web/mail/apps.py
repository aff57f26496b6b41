from django.apps import AppConfig


class WebMailConfig(AppConfig):
    name = "saraban.web.mail"
    label = "web_mail"
    verbose_name = "หน้าเว็บ: ไปรษณีย์อิเล็กทรอนิกส์กลาง"

    def register_panels(self) -> None:
        from saraban.web import panels

        from . import views

        panels.nav_link("mail", "อีเมลเข้า", "Incoming mail", "/mail/", order=25, visible=views.can_see)
