from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "saraban.transport"
    label = "transport"
    verbose_name = "คำขอที่ทำครั้งเดียว (เว็บและ API)"
