"""The flowcharts' steps and transitions are derived rows (supervision/transitions.py): dropped here
so they are rebuilt, on the next evaluation, with the start transitions past the opening's 申请 and
受理."""

from django.db import migrations


def drop_derived(apps, schema_editor):
    apps.get_model("supervision", "FlowTransition").objects.all().delete()
    apps.get_model("supervision", "FlowStep").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("supervision", "0005_alerts_withdrawn_when_no_longer_holding")]

    operations = [migrations.RunPython(drop_derived, migrations.RunPython.noop, elidable=True)]
