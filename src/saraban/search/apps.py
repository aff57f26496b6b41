from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "saraban.search"
    label = "search"
    verbose_name = "ค้นหาหนังสือ"

    def ready(self) -> None:
        from saraban.kernel import periodic
        from saraban.letters import changes

        from .index import catch_up, on_changed

        changes.changed.connect(on_changed)  # marked inside the action that changed the letter, written after it
        periodic.register("search.catch_up", catch_up)  # rows still marked behind (a crash before the refresh)
