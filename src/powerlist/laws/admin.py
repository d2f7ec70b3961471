from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from powerlist.core.admin_base import ReadOnlyAdmin
from powerlist.laws.models import Article, Law, LawVersion


class VersionInline(admin.TabularInline):
    model = LawVersion
    fields = ("title", "version_date", "effective", "status", "is_current", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleInline(admin.TabularInline):
    model = Article
    fields = ("number_text", "chapter", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Law)
class LawAdmin(ReadOnlyAdmin):
    """The corpus is loaded with `powerlist laws load`; the back office reads it."""

    list_display = ("title", "level", "field", "current_version")
    list_filter = ("level",)
    search_fields = ("title", "aliases")
    inlines = [VersionInline]

    @admin.display(description=_("current version"))
    def current_version(self, law):
        version = law.versions.filter(is_current=True).first()
        return version.version_date if version else _("none in force")


@admin.register(LawVersion)
class LawVersionAdmin(ReadOnlyAdmin):
    list_display = ("title", "level", "version_date", "status", "is_current", "changed_at")
    list_filter = ("status", "level", "is_current")
    search_fields = ("title",)
    inlines = [ArticleInline]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("version", "number_text", "chapter")
    search_fields = ("text", "version__title")
    list_select_related = ("version",)
    show_full_result_count = False
