from django.apps import AppConfig


class WebLettersConfig(AppConfig):
    name = "saraban.web.letters"
    label = "web_letters"
    verbose_name = "หน้าเว็บ: หนังสือ"
