from __future__ import annotations

import pytest

from trustdesk.privacy.vault import SqlVault, SubjectShredded, VaultError, load_master_key
from trustdesk.store.db import Database
from trustdesk.store.models import Customer


def test_master_key_is_created_private_and_reused(tmp_path: object) -> None:
    from pathlib import Path

    d = Path(str(tmp_path))
    key = load_master_key(d)
    assert len(key) == 32
    path = d / "vault" / "master.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_master_key(d) == key


def test_encrypt_decrypt_and_shred(database: Database) -> None:
    master = b"k" * 32
    with database.write() as s:
        c = Customer(tenant="northwind", kind="customer")
        s.add(c)
        s.flush()
        vault = SqlVault(s, master)
        blob = vault.encrypt(c.id, "email", b"sam@example.com")
        assert b"sam@example.com" not in blob
        cid = c.id
    with database.write() as s:
        vault = SqlVault(s, master)
        assert vault.decrypt(cid, "email", blob) == b"sam@example.com"
        with pytest.raises(VaultError):
            vault.decrypt(cid, "phone", blob)  # bound to its field
        with pytest.raises(VaultError):
            SqlVault(s, b"x" * 32).decrypt(cid, "email", blob)  # wrong master key
        assert vault.shred(cid) is True
    with database.write() as s:
        with pytest.raises(SubjectShredded):
            SqlVault(s, master).decrypt(cid, "email", blob)
