from django.apps import AppConfig


class WebRoutingConfig(AppConfig):
    name = "saraban.web.routing"
    label = "web_routing"
    verbose_name = "หน้าเว็บ: การเสนอและสั่งการ"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
