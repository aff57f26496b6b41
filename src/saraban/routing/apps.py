from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "saraban.routing"
    label = "routing"
    verbose_name = "การเสนอ สั่งการ และติดตามหนังสือ"

    def ready(self) -> None:
        from saraban.kernel import periodic

        from .tasks import send_daily_digests

        periodic.register("routing.digests", send_daily_digests.call)
