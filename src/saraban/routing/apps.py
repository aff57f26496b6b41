from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "saraban.routing"
    label = "routing"
    verbose_name = "การเสนอ สั่งการ และติดตามหนังสือ"

    def ready(self) -> None:
        from . import web_hooks

        web_hooks.register()
