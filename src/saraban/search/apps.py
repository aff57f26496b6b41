from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "saraban.search"
    label = "search"
    verbose_name = "ค้นหาหนังสือ"

    def ready(self) -> None:
        from saraban.letters import changes

        from .index import on_changed

        changes.changed.connect(on_changed)  # the index is rewritten inside the action that changed the letter
