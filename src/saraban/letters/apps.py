from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "saraban.letters"
    label = "letters"
    verbose_name = "หนังสือ"
