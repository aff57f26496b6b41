from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "saraban.web"
    label = "web"
    verbose_name = "หน้าเว็บ"

    def register_panels(self) -> None:
        from saraban.orgs import policy

        from . import panels

        panels.nav_link("agency-settings", "ตั้งค่าส่วนราชการ", "Agency settings", "/settings/emblems/", order=90,
                        visible=lambda request: bool(policy.manageable_agencies(request.user)))
