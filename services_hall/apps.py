from django.apps import AppConfig


class ServicesHallConfig(AppConfig):
    name = "services_hall"
    verbose_name = "政务服务"
