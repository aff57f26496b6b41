from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "saraban.orgs"
    label = "orgs"
    verbose_name = "หน่วยงานและบุคลากร"
