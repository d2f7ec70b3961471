from django.urls import path, register_converter

from powerlist.portal import views, views_cleanup, views_data


class CodeConverter:
    regex = r"\d{2,12}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class IdConverter:
    """Ids and numbers the database can hold (below 2**63): a longer run of digits is no page (404),
    not an overflow in the query (500)."""

    regex = r"[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(CodeConverter, "code")
register_converter(IdConverter, "id")
app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("item/<id:item_id>/", views.item, name="item"),
    path("j/<code:code>/", views.jurisdiction, name="jurisdiction"),
    path("j/<code:code>/dept/<id:org_id>/", views.department, name="department"),
    path("j/<code:code>/category/<str:category>/", views.category, name="category"),
    path("j/<code:code>/versions/", views.versions, name="versions"),
    path("j/<code:code>/versions/<id:older>/diff/<id:newer>/", views.version_diff, name="diff"),
    path("j/<code:code>/stats/", views.statistics, name="statistics"),
    path("j/<code:code>/data/", views_data.data_page, name="data"),
    path("j/<code:code>/campaigns/<id:campaign_id>/", views_cleanup.campaign_statistics, name="campaign_statistics"),
    path("j/<code:code>/campaigns/<id:campaign_id>/statistics.<str:fmt>", views_cleanup.campaign_statistics_download,
         name="campaign_statistics_download"),
    path("j/<code:code>/v/<id:number>/<str:fmt>/", views_data.download, name="download"),
    path("j/<code:code>/v/<id:number>/department/<id:org_id>/<str:fmt>/", views_data.download,
         name="department_download"),
    path("data/catalog.jsonld", views_data.catalogue, name="catalogue"),
    path("healthz", views.healthz, name="healthz"),
    path("lang/<str:language>/", views.switch_language, name="language"),
]
