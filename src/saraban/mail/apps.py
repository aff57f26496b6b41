from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "saraban.mail"
    label = "mail"
    verbose_name = "ไปรษณีย์อิเล็กทรอนิกส์กลาง"

    def ready(self) -> None:
        from saraban.exchange import channels
        from saraban.intake import hooks
        from saraban.kernel import periodic

        from . import actions, outbox, tasks

        channels.install("email", actions.outbound.schedule_letter)
        outbox.install(tasks.send_mail)
        hooks.registered.connect(actions.on_registered)
        periodic.register("mail.poll", tasks.tick)
