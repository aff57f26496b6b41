from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "saraban.search"
    label = "search"
    verbose_name = "ค้นหาหนังสือ"

    def ready(self) -> None:
        from saraban.kernel import followers, wakeup
        from saraban.letters import changes

        from .index import catch_up, on_changed

        changes.changed.connect(on_changed)  # marked inside the action that changed the letter, written after it
        followers.register("search.catch_up", wakeup.INDEX, catch_up)  # the task worker writes the rows behind
