from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "saraban.routing"
    label = "routing"
    verbose_name = "การเสนอ สั่งการ และติดตามหนังสือ"

    def ready(self) -> None:
        from saraban.drafting import hooks as drafting_hooks
        from saraban.kernel import periodic
        from saraban.letters.policy import add_grant_source
        from saraban.registry import hooks as registry_hooks

        from .actions.signed import on_signed
        from .policy import POSITION_GRANT
        from .tasks import send_daily_digests
        from .twins import flag_hidden_twin

        add_grant_source(POSITION_GRANT)  # a letter routed to a position is seen by whoever holds it today
        periodic.register("routing.digests", send_daily_digests.call)
        drafting_hooks.signed.connect(on_signed)  # those who may send a signed letter are told it waits
        registry_hooks.hidden_twin.connect(flag_hidden_twin)  # a duplicate its registrar may not see
