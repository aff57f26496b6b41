from django.apps import AppConfig


class WebDraftingConfig(AppConfig):
    name = "saraban.web.drafting"
    label = "web_drafting"
    verbose_name = "หน้าเว็บ: ร่างหนังสือ"

    def register_panels(self) -> None:
        from . import panels

        panels.register()
