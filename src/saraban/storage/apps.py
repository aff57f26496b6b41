from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "saraban.storage"
    label = "storage"
    verbose_name = "ที่เก็บไฟล์"

    def ready(self) -> None:
        from saraban.kernel import periodic

        from .backup.schedule import scheduled_backup

        periodic.register("storage.backup", scheduled_backup)
