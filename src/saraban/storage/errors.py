"""Errors of the blob store, the keys and backups: coded, in Thai and English (never a bare 500)."""

from __future__ import annotations

from saraban.kernel.errors import SarabanError


class BlobDamaged(SarabanError):
    """The stored bytes no longer match the SHA-256 recorded for them (or cannot be decrypted)."""

    code = "blob_damaged"
    status = 503
    message_th = ("ไฟล์นี้เสียหาย: เนื้อหาที่เก็บไว้ไม่ตรงกับค่า SHA-256 ที่บันทึกไว้ ระบบบันทึกเหตุการณ์แล้ว "
                  "โปรดแจ้งผู้ดูแลระบบเพื่อกู้คืนจากข้อมูลสำรอง")
    message_en = ("This file is damaged: the stored content no longer matches its recorded SHA-256. The event was "
                  "logged; ask the administrator to restore it from a backup")


class BlobMissing(BlobDamaged):
    code = "blob_missing"
    message_th = "ไม่พบไฟล์ในที่เก็บไฟล์ ระบบบันทึกเหตุการณ์แล้ว โปรดแจ้งผู้ดูแลระบบเพื่อกู้คืนจากข้อมูลสำรอง"
    message_en = "The file is missing from the blob store. The event was logged; ask the administrator to restore it"


class BlobDestroyed(BlobMissing):
    code = "blob_destroyed"
    status = 410
    message_th = "ไฟล์นี้ถูกทำลายแล้วตามบัญชีหนังสือขอทำลาย (ระเบียบงานสารบรรณ ข้อ 70)"
    message_en = "This file was destroyed under a destruction list (ข้อ 70)"


class StorageFull(SarabanError):
    code = "storage_full"
    status = 507
    message_th = "พื้นที่เก็บไฟล์เต็ม บันทึกไฟล์ไม่ได้ และไม่มีการเปลี่ยนแปลงใด โปรดแจ้งผู้ดูแลระบบ"
    message_en = "The blob store is full: the file was not saved and nothing changed. Tell the administrator"


class StorageUnavailable(SarabanError):
    code = "storage_unavailable"
    status = 503
    message_th = "ที่เก็บไฟล์ไม่พร้อมใช้งานขณะนี้ ไม่มีการเปลี่ยนแปลงใด โปรดลองใหม่ภายหลัง"
    message_en = "The blob store is not available right now; nothing changed. Try again later"


class KeyUnavailable(SarabanError):
    """A master key version needed to read or write classified content is not configured here."""

    code = "key_unavailable"
    status = 503
    message_th = "ไม่พบกุญแจหลักสำหรับเข้ารหัสไฟล์ชั้นความลับ โปรดแจ้งผู้ดูแลระบบ"
    message_en = "The master key for classified files is not available here. Tell the administrator"


class BackupInvalid(SarabanError):
    code = "backup_invalid"
    status = 422
    message_th = "ข้อมูลสำรองไม่สมบูรณ์หรือถูกแก้ไข"
    message_en = "The backup is incomplete or was altered"


class BackupRunning(SarabanError):
    code = "backup_running"
    status = 409
    message_th = "มีการสำรองข้อมูลกำลังทำงานอยู่"
    message_en = "A backup is already running"


class RestoreRefused(SarabanError):
    code = "restore_refused"
    status = 409
    message_th = "ไม่กู้คืนทับระบบที่มีข้อมูลอยู่แล้ว"
    message_en = "Will not restore over a system that already holds data"
