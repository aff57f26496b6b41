from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "saraban.intake"
    label = "intake"
    verbose_name = "หนังสือรอลงทะเบียน"
