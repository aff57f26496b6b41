from django.apps import AppConfig, apps


class WebConfig(AppConfig):
    name = "saraban.web"
    label = "web"
    verbose_name = "หน้าเว็บ"

    def ready(self) -> None:
        from saraban.orgs import policy

        from . import panels

        for config in apps.get_app_configs():  # apps above the web (ops) declare links to their own pages
            for link in getattr(config, "web_links", list)():
                panels.nav_link(**link)
        panels.nav_link("agency-settings", "ตั้งค่าส่วนราชการ", "Agency settings", "/settings/emblems/", order=90,
                        visible=lambda request: bool(policy.manageable_agencies(request.user)))
