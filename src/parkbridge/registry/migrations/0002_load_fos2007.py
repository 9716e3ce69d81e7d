"""Load the OECD Fields of Science and Technology (FOS 2007) taxonomy with en/ru/zh labels."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "fos2007.json"


def load_taxonomy(apps, schema_editor):
    FocusArea = apps.get_model("registry", "FocusArea")
    nodes = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    by_code = {}
    for position, node in enumerate(nodes):
        parent = by_code.get(node["parent"]) if node.get("parent") else None
        area, _created = FocusArea.objects.update_or_create(
            code=node["code"],
            defaults={
                "parent": parent,
                "name_en": node["name_en"],
                "name_ru": node["name_ru"],
                "name_zh": node["name_zh"],
                "level": node["code"].count(".") + 1,
                "position": position,
            },
        )
        by_code[area.code] = area


def unload_taxonomy(apps, schema_editor):
    apps.get_model("registry", "FocusArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load_taxonomy, unload_taxonomy)]
