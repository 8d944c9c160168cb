"""Opinions and decisions on signatures, record rules pinned per record, 补充材料 (issue 12).

Each record type that exists gets its version 1 — the fields and rule it has now, under which every
record made so far was made (those records keep an empty `type_version`, meaning version 1) — and
one `records.type_version` event, so that `liuhen verify` holds it to that state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def version_digest(code, tv) -> str:
    """ledger_checks.type_version_digest as this migration was written."""
    from liuhen.ledger.core.canonical import content_sha256
    from liuhen.ledger.subjects import plain

    return content_sha256({"type": code, "number": tv.number, "fields": tv.fields,
                           "signature_rule": tv.signature_rule, "created_at": plain(tv.created_at)})


def pin_version_one(apps, schema_editor):
    from liuhen.ledger import services as ledger

    using = schema_editor.connection.alias
    RecordType = apps.get_model("records", "RecordType")
    RecordTypeVersion = apps.get_model("records", "RecordTypeVersion")
    for rt in RecordType.objects.using(using).order_by("pk"):
        tv = RecordTypeVersion.objects.using(using).create(
            record_type=rt, number=1, fields=rt.fields, signature_rule=rt.signature_rule)
        tv = RecordTypeVersion.objects.using(using).get(pk=tv.pk)  # as stored (the time's precision)
        digest = version_digest(rt.code, tv)
        ledger.append("records.type_version", object_type="recordtypeversion", object_id=tv.pk,
                      content_sha256=digest,
                      detail={"type": rt.code, "number": 1, "migration": "records.0004"})


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_tree'),
        ('media', '0001_initial'),
        ('records', '0003_signature_role_choices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='signature',
            name='decision',
            # Signatures made before a signer could decide were each an approval: 同意, no opinion
            # (their digests, scheme 2, cover neither; ledger_checks holds them to these values).
            field=models.CharField(blank=True, default='同意', max_length=20, verbose_name='决定'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='signature',
            name='opinion',
            field=models.CharField(blank=True, max_length=2000, verbose_name='意见'),
        ),
        migrations.AlterField(
            model_name='recordtype',
            name='active',
            field=models.BooleanField(default=True, help_text='停用后不能再新建该类型的记录，已有记录不受影响', verbose_name='启用'),
        ),
        migrations.AlterField(
            model_name='recordtype',
            name='code',
            field=models.SlugField(help_text='英文小写字母、数字、连字符或下划线，创建后请勿更改', max_length=60, unique=True, verbose_name='代码'),
        ),
        migrations.AlterField(
            model_name='recordtype',
            name='fields',
            field=models.JSONField(default=list, help_text='字段列表（JSON 数组），每个字段如 {"name": "place", "label": "地点", "type": "text"}；类型可为 text（单行文本）、textarea（多行文本）、date（日期）、datetime（日期时间）、integer（整数）、choice（单选，须有 "choices" 选项列表）、bool（是/否）；"required": false 表示选填。修改只对此后新建的记录生效。', verbose_name='字段'),
        ),
        migrations.AlterField(
            model_name='recordtype',
            name='position',
            field=models.PositiveIntegerField(default=0, verbose_name='排序'),
        ),
        migrations.AlterField(
            model_name='recordtype',
            name='signature_rule',
            field=models.JSONField(default=dict, help_text='如 {"officers": 2, "party": true, "leader": "agency_head"}：officers 执法人员人数，party 当事人签字，leader 负责人（true 任一负责人，unit_head 承办机构负责人，agency_head 机关负责人），reviewer 法制审核人员，archivist 档案管理员。修改只对此后新建的记录生效。', verbose_name='签字要求'),
        ),
        migrations.CreateModel(
            name='RecordTypeVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='版本')),
                ('fields', models.JSONField(verbose_name='字段')),
                ('signature_rule', models.JSONField(verbose_name='签字要求')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('record_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='records.recordtype')),
            ],
            options={
                'verbose_name': '记录类型版本',
                'verbose_name_plural': '记录类型版本',
                'ordering': ['record_type', 'number'],
            },
        ),
        migrations.AddField(
            model_name='record',
            name='type_version',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.recordtypeversion'),
        ),
        migrations.CreateModel(
            name='Supplement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.CharField(blank=True, max_length=1000, verbose_name='说明')),
                ('added_at', models.DateTimeField(auto_now_add=True)),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='supplements', to='records.record')),
            ],
            options={
                'verbose_name': '补充材料',
                'verbose_name_plural': '补充材料',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='SupplementFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(max_length=255, verbose_name='文件名')),
                ('content_type', models.CharField(blank=True, max_length=100)),
                ('blob', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='media.blob')),
                ('supplement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='records.supplement')),
            ],
            options={
                'verbose_name': '补充材料文件',
                'verbose_name_plural': '补充材料文件',
                'ordering': ['id'],
            },
        ),
        migrations.AddConstraint(
            model_name='recordtypeversion',
            constraint=models.UniqueConstraint(fields=('record_type', 'number'), name='type_version_once'),
        ),
        # Irreversible, as 0002: migrating back and forth would log a second version 1.
        migrations.RunPython(pin_version_one),
    ]
