from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "saraban.drafting"
    label = "drafting"
    verbose_name = "ร่างและลงนามหนังสือ"

    def ready(self) -> None:
        from . import web_hooks

        web_hooks.register()
