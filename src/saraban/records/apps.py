from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "saraban.records"
    label = "records"
    verbose_name = "การเก็บรักษา ยืม และทำลายหนังสือ"

    def ready(self) -> None:
        from saraban.kernel import periodic
        from saraban.letters.policy import add_grant_source

        from .policy import LOAN_GRANT
        from .tasks import remind_overdue_loans

        add_grant_source(LOAN_GRANT)  # an electronic loan lets its borrower see the letter until it is due
        periodic.register("records.loans_overdue", remind_overdue_loans)
