from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "saraban.drafting"
    label = "drafting"
    verbose_name = "ร่างและลงนามหนังสือ"

    def ready(self) -> None:
        import uuid

        from saraban.letters import claims

        from .models import Draft

        def drafts(letter_uuid: uuid.UUID) -> set[str]:
            return set(Draft.objects.filter(letter_uuid=letter_uuid).values_list("agency__code", flat=True))

        claims.add_holder(drafts)
