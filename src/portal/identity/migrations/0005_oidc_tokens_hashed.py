"""Access and refresh tokens issued before hashed storage (COMPLIANT_BCP_RFC9700_TOKEN_STORAGE):
keep only their SHA-256 (the toolkit's token_checksum, by which every lookup is made) and
blank the clear value, so that a read of the token tables gives nothing usable. Authorization
codes not yet exchanged are replaced by their SHA-256 too (identity/oidc.py looks them up so).
"""

import hashlib
import re

from django.db import migrations

BATCH = 2000


def hash_tokens(apps, schema_editor):
    for name in ("AccessToken", "RefreshToken"):
        model = apps.get_model("oauth2_provider", name)
        while True:
            rows = list(model.objects.exclude(token="").only("pk", "token")[:BATCH])
            if not rows:
                break
            for row in rows:
                row.token_checksum = hashlib.sha256(row.token.encode("utf-8")).hexdigest()
                row.token = ""
            model.objects.bulk_update(rows, ["token", "token_checksum"])
    grant_model = apps.get_model("oauth2_provider", "Grant")
    hashed = re.compile(r"[0-9a-f]{64}")
    for grant in grant_model.objects.only("pk", "code").iterator():
        if not hashed.fullmatch(grant.code):
            grant.code = hashlib.sha256(grant.code.encode("utf-8")).hexdigest()
            grant.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0004_signin_grant_without_constraint"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    # The clear values cannot come back: going backwards leaves the hashes.
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop, elidable=True)]
