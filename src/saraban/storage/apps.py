from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "saraban.storage"
    label = "storage"
    verbose_name = "ที่เก็บไฟล์"
