"""The audit chain gets gapless sequence numbers and a version; existing rows stay version 1.

Existing rows are numbered 1, 2, 3 … in their order (by id) and keep their SHA-256 hashes, which
are not recomputed: history is never rewritten. The head of a database that already has rows
stays at version 1, so the next append first writes an ``audit.chain_keyed`` row (version 2,
HMAC under the audit key) that binds the old chain's last hash; a new database starts keyed.
"""

from django.db import migrations, models


def number_rows(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditHead = apps.get_model("core", "AuditHead")
    seq = 0
    batch = []
    for event in AuditEvent.objects.order_by("id").only("id").iterator(chunk_size=2000):
        seq += 1
        event.seq = seq
        batch.append(event)
        if len(batch) == 2000:
            AuditEvent.objects.bulk_update(batch, ["seq"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["seq"])
    if seq:
        head, _ = AuditHead.objects.get_or_create(pk=1)
        head.seq = seq
        head.version = 1
        head.save(update_fields=["seq", "version"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="链版本"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="audithead",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="audithead",
            name="version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="audithead",
            name="anchor_seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="audithead",
            name="anchor_hash",
            field=models.CharField(default="0" * 64, max_length=64),
        ),
        migrations.RunPython(number_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="序号"),
        ),
    ]
