"""Where the open-data views sit in the page tree (portal/places.py): behind the 数据开放 door."""

from portal.places import Place, place_context_processor


def places() -> dict[str, Place]:
    from .models import OpenDataPage

    developers = (("开发者", "door:developers/"),)
    return {
        "catalog": Place(OpenDataPage, "数据资源目录"),
        "access_apply": Place(OpenDataPage, "数据使用申请"),
        "access_apply_sent": Place(OpenDataPage, "数据使用申请"),
        "resource_download": Place(OpenDataPage, "数据下载"),
        # django-ninja's pages of the data API (its Swagger UI, named "openapi-view").
        "openapi-view": Place(OpenDataPage, "数据接口文档", developers),
    }


place = place_context_processor("opendata", places, default="catalog")
