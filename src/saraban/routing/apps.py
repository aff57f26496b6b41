from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "saraban.routing"
    label = "routing"
    verbose_name = "การเสนอ สั่งการ และติดตามหนังสือ"

    def ready(self) -> None:
        from saraban.kernel import periodic
        from saraban.letters.policy import add_grant_source

        from .policy import POSITION_GRANT
        from .tasks import send_daily_digests

        add_grant_source(POSITION_GRANT)  # a letter routed to a position is seen by whoever holds it today
        periodic.register("routing.digests", send_daily_digests.call)
