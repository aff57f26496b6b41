from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "saraban.drafting"
    label = "drafting"
    verbose_name = "ร่างและลงนามหนังสือ"
