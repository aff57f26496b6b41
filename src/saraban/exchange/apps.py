from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "saraban.exchange"
    label = "exchange"
    verbose_name = "การรับส่งหนังสือระหว่างระบบ (SBX)"

    def ready(self) -> None:
        from . import hookup

        hookup.connect()
