"""Issue 12 review §5: a record pins the effective rule it was made under (its type's rule with the
overrides of its case's kind and procedure), and a capacity signature stores the role its signer
signed as (digest scheme 4). Rows made before keep both empty: their events and digests never
named them, and `liuhen verify` requires them empty (records/ledger_checks.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0004_opinions_pinned_rules_supplements'),
    ]

    operations = [
        migrations.AddField(
            model_name='record',
            name='rule',
            field=models.JSONField(blank=True, null=True, verbose_name='适用的签字要求'),
        ),
        migrations.AddField(
            model_name='signature',
            name='signer_role',
            field=models.CharField(blank=True, max_length=20, verbose_name='签字时身份'),
        ),
    ]
