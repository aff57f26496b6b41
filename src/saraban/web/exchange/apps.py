from django.apps import AppConfig


class WebExchangeConfig(AppConfig):
    name = "saraban.web.exchange"
    label = "web_exchange"
    verbose_name = "หน้าเว็บ: การรับส่งระหว่างระบบ"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
