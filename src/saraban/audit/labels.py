"""What each audit action is called, in Thai and English (timelines, reports)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "registry.register_incoming": ("ลงทะเบียนรับ", "Registered (incoming)"),
    "registry.issue_outgoing": ("ออกเลขหนังสือส่ง", "Outgoing number issued"),
    "registry.cancel": ("ยกเลิกเลขทะเบียน", "Registration cancelled"),
    "registry.record_placeholder": ("บันทึกหนังสือลับที่สุด (ดำเนินการนอกระบบ)", "Top secret placeholder recorded"),
    "registry.set_floor": ("ตั้งเลขเริ่มต้นของทะเบียน (ต่อจากทะเบียนกระดาษ)", "Register floor set"),
    "letter.derive_file": ("สร้างฉบับแสดงผล", "Derived copy made"),
    "letter.read_classified": ("เปิดอ่านหนังสือชั้นความลับ", "Classified file read"),
    "intake.submit": ("รับเข้าคิวรอลงทะเบียน", "Received into the queue"),
    "intake.reject": ("ส่งคืนโดยไม่ลงทะเบียน", "Returned without registering"),
    "registry.register_copy": ("หน่วยงานรับลงทะเบียนรับในทะเบียนของตน", "Registered in the receiving unit's book"),
    "routing.distribute": ("ส่งหนังสือ", "Sent to"),
    "routing.apply_template": ("เสนอตามเส้นทางที่กำหนด", "Routed by template"),
    "routing.open": ("เปิดอ่าน", "Opened"),
    "routing.acknowledge": ("รับทราบ", "Acknowledged"),
    "routing.done": ("รายงานผลการดำเนินการ", "Reported done"),
    "routing.return": ("ส่งคืนพร้อมเหตุผล", "Returned with a reason"),
    "routing.recall": ("เรียกคืน", "Recalled"),
    "routing.endorse": ("เกษียนหนังสือ", "Endorsed"),
    "routing.assign": ("มอบหมาย", "Assigned"),
    "routing.circular": ("แจ้งเวียน", "Circulated"),
    "routing.remind": ("เตือนผู้ที่ยังไม่เปิดอ่าน", "Reminder sent"),
    "routing.holiday_add": ("เพิ่มวันหยุดราชการ", "Holiday added"),
    "routing.holiday_remove": ("ลบวันหยุดราชการ", "Holiday removed"),
    "routing.holidays_load": ("นำเข้าปฏิทินวันหยุดราชการ", "Holiday list loaded"),
    "routing.template_save": ("บันทึกแม่แบบเส้นทาง", "Route template saved"),
    "routing.template_retire": ("เลิกใช้แม่แบบเส้นทาง", "Route template retired"),
    "routing.preferences": ("ตั้งค่าการแจ้งเตือน", "Notification settings"),
    "routing.line_link_start": ("ขอรหัสเชื่อมต่อ LINE", "LINE link code issued"),
    "routing.line_link": ("เชื่อมต่อบัญชี LINE (ยืนยันผ่านบัญชีทางการ LINE)", "LINE account linked (verified by LINE)"),
    "routing.line_unlink": ("ยกเลิกการเชื่อมต่อ LINE", "LINE account unlinked"),
    "tasks.recover": ("ลองงานเบื้องหลังที่ค้างหรือล้มเหลวใหม่", "Stuck or failed background work retried"),
    "tasks.retry": ("ผู้ดูแลสั่งลองงานเบื้องหลังใหม่", "Background work retried by hand"),
    "routing.notifications_read": ("อ่านการแจ้งเตือน", "Notifications read"),
    "routing.digest": ("ส่งสรุปประจำวัน", "Daily digest sent"),
    "ops.requeue_lost": ("นำงานเบื้องหลังที่ค้างจากตัวประมวลผลที่หยุดไปกลับเข้าคิว", "Lost background tasks requeued"),
    "drafting.create": ("สร้างร่างหนังสือ", "Draft created"),
    "drafting.save": ("แก้ไขร่างหนังสือ (ฉบับใหม่)", "Draft edited (new version)"),
    "drafting.set_people": ("กำหนดผู้ตรวจและผู้ลงนาม", "Reviewers and signers chosen"),
    "drafting.submit": ("เสนอร่างหนังสือ", "Draft submitted for review"),
    "drafting.decide": ("พิจารณาร่างหนังสือ", "Draft reviewed"),
    "drafting.comment": ("ความเห็นต่อร่างหนังสือ", "Comment on the draft"),
    "drafting.cancel": ("ยกเลิกร่างหนังสือ", "Draft cancelled"),
    "drafting.sign": ("ลงนาม ออกเลข และลงทะเบียนส่ง", "Signed, numbered and registered"),
    "drafting.sign_failed": ("ลงนามไม่สำเร็จ", "Signing failed"),
    "signing.register_key": ("ลงทะเบียนกุญแจลงนาม", "Signing key registered"),
    "drafting.attach": ("แนบสิ่งที่ส่งมาด้วย", "Enclosures attached"),
    "drafting.detach": ("นำสิ่งที่ส่งมาด้วยออก", "Enclosure removed"),
    "drafting.arrange": ("จัดลำดับและตั้งชื่อสิ่งที่ส่งมาด้วย", "Enclosures ordered and titled"),
    "drafting.reply": ("เริ่มร่างหนังสือตอบ", "Reply draft started"),
    "intake.arrange": ("จัดลำดับไฟล์และเลือกไฟล์หนังสือ", "Files arranged, letter chosen"),
    "registry.attach_file": ("แนบไฟล์หนังสือให้เลขที่จองไว้", "File attached to a reserved number"),
    "exchange.forward": ("ส่งต่อหนังสือทางระบบ (SBX)", "Forwarded by SBX"),
    "intake.register": ("ลงทะเบียนรับจากคิว", "Registered from the queue"),
    "account.totp_start": ("เริ่มตั้งค่าการยืนยันตัวตน 2 ชั้น", "Two-step sign-in setup started"),
    "account.totp_confirm": ("ยืนยันการตั้งค่าการยืนยันตัวตน 2 ชั้น", "Two-step sign-in confirmed"),
    "api.token_create": ("สร้างโทเคน API", "API token created"),
    "api.token_revoke": ("เพิกถอนโทเคน API", "API token revoked"),
    "orgs.load_directory": ("นำเข้าโครงสร้างหน่วยงานและบุคลากร", "Organisation loaded"),
    "orgs.set_emblem": ("ตั้งตราครุฑของหน่วยงาน", "Emblem set"),
    "orgs.clear_emblem": ("นำตราครุฑของหน่วยงานออก", "Emblem removed"),
    "orgs.set_emblem_layout": ("ตั้งขนาดและตำแหน่งตราครุฑ", "Emblem layout set"),
    "orgs.record_delegation": ("บันทึกการมอบอำนาจ", "Delegation recorded"),
    "orgs.revoke_delegation": ("ยกเลิกการมอบอำนาจ", "Delegation revoked"),
    "mail.receive": ("รับไปรษณีย์อิเล็กทรอนิกส์", "E-mail received"),
    "mail.process": ("ตรวจไปรษณีย์อิเล็กทรอนิกส์และเข้าคิว", "E-mail examined"),
    "mail.release": ("ปล่อยไปรษณีย์อิเล็กทรอนิกส์ที่กักไว้", "Held e-mail released"),
    "mail.discard": ("ทิ้งไปรษณีย์อิเล็กทรอนิกส์", "E-mail discarded"),
    "mail.reply_with_number": ("ตอบเลขรับทางไปรษณีย์อิเล็กทรอนิกส์", "Receipt number replied by e-mail"),
    "mail.sent": ("ส่งทางไปรษณีย์อิเล็กทรอนิกส์แล้ว", "Sent by e-mail"),
    "mail.attempt_failed": ("ส่งไปรษณีย์อิเล็กทรอนิกส์ไม่สำเร็จ จะลองใหม่", "E-mail attempt failed, will retry"),
    "mail.failed": ("ส่งไปรษณีย์อิเล็กทรอนิกส์ไม่สำเร็จ", "E-mail failed"),
    "mail.save_account": ("ตั้งค่าบัญชีไปรษณีย์อิเล็กทรอนิกส์กลาง", "Central mailbox settings saved"),
    "exchange.dispatch": ("ส่งหนังสือทางระบบ (SBX)", "Sent by SBX"),
    "exchange.delivered": ("ปลายทางได้รับหนังสือ (ใบตอบรับ)", "Delivered (signed receipt)"),
    "exchange.attempt_failed": ("ส่งไม่สำเร็จ จะลองส่งใหม่", "Delivery attempt failed, will retry"),
    "exchange.failed": ("ส่งทางระบบไม่สำเร็จ", "Delivery failed"),
    "exchange.receive": ("รับข้อความทางระบบ (SBX)", "Message received by SBX"),
    "exchange.hand_over": ("เข้าคิวรอลงทะเบียน (SBX)", "Put in the intake queue (SBX)"),
    "exchange.withdraw": ("ถอนหนังสือคืน", "Letter withdrawn"),
    "exchange.dispute_registration": ("แจ้งเลขรับผิด", "Registration number disputed"),
    "exchange.report_invalid": ("แจ้งหนังสือผิด", "Letter reported wrong"),
    "exchange.record_fallback": ("ส่งทางอื่นแทน (อีเมล/ไปรษณีย์/เดินหนังสือ)", "Sent another way"),
    "exchange.load_directory": ("โหลดสมุดรายชื่อผู้เข้าร่วม (SBX)", "SBX directory loaded"),
    "exchange.mailbox_ack": ("ผู้รับดึงหนังสือจากกล่องรับแล้ว", "Mailbox message acknowledged"),
    "exchange.set_hosting": ("กำหนดหน่วยงานที่ใช้ระบบนี้", "Hosted agencies set"),
    "storage.backup": ("สำรองข้อมูลไปยังที่เก็บที่สอง", "Backed up to a second place"),
    "storage.backup_start": ("เริ่มสำรองข้อมูล", "Backup started"),
    "storage.restore": ("กู้คืนระบบจากข้อมูลสำรอง", "Restored from a backup"),
    "storage.verify": ("ตรวจความถูกต้องของไฟล์ที่จัดเก็บ", "Stored files verified"),
    "storage.sweep": ("ลบไฟล์ที่ไม่มีหนังสืออ้างถึง", "Unreferenced files swept"),
    "storage.blob_damaged": ("พบไฟล์ที่จัดเก็บเสียหาย", "A damaged stored file found"),
    "storage.rotate_key": ("เปลี่ยนรุ่นกุญแจหลักสำหรับเข้ารหัส", "Master key rotated"),
    "storage.rewrap": ("ห่อกุญแจข้อมูลใหม่ด้วยกุญแจหลักรุ่นปัจจุบัน", "Data keys rewrapped"),
    "search.save": ("บันทึกการค้นหา", "Search saved"),
    "search.delete_saved": ("ลบการค้นหาที่บันทึกไว้", "Saved search deleted"),
    "search.request_ocr": ("ขออ่านข้อความในไฟล์ด้วย OCR", "OCR requested"),
    "search.ocr_done": ("อ่านข้อความในไฟล์ด้วย OCR แล้ว", "OCR done"),
    "search.ocr_failed": ("อ่านข้อความในไฟล์ด้วย OCR ไม่สำเร็จ", "OCR failed"),
    "records.save_file_codes": ("บันทึกแผนแฟ้ม (รหัสแฟ้ม)", "File plan saved"),
    "records.file_letter": ("จัดเก็บหนังสือเข้าแฟ้มพร้อมกำหนดอายุการเก็บ", "Letter filed with a retention class"),
    "records.store_filings": ("ลงทะเบียนหนังสือเก็บ", "Letters entered in the storage register"),
    "records.make_destruction_list": ("จัดทำบัญชีหนังสือขอทำลาย", "Destruction list made"),
    "records.appoint_committee": ("แต่งตั้งคณะกรรมการทำลายหนังสือ", "Destruction committee appointed"),
    "records.decide_items": ("คณะกรรมการพิจารณารายการขอทำลาย", "Committee decided items"),
    "records.sign_list": ("กรรมการลงนามในบัญชีหนังสือขอทำลาย", "Committee member signed the list"),
    "records.approve_list": ("หัวหน้าส่วนราชการเห็นชอบบัญชีหนังสือขอทำลาย", "Head approved the destruction list"),
    "records.send_list": ("ส่งบัญชีหนังสือขอทำลายให้กรมศิลปากร", "Destruction list sent to the Fine Arts Department"),
    "records.fad_reply": ("บันทึกคำตอบของกรมศิลปากร", "Fine Arts Department's reply recorded"),
    "records.destroy": ("ทำลายหนังสือตามบัญชี", "Letters destroyed"),
    "records.sign_record": ("กรรมการลงนามในบันทึกการทำลาย", "Committee member signed the destruction record"),
    "records.export_archive": ("ส่งออกชุดหนังสือครบ 20 ปี (BagIt)", "20-year archival package exported"),
    "records.loan_lent": ("ให้ยืมหนังสือ", "Letter lent"),
    "records.loan_returned": ("บันทึกการส่งคืนหนังสือที่ยืม", "Loan returned"),
    "records.loan_reminded": ("เตือนหนังสือที่ยืมเกินกำหนด", "Overdue loan reminded"),
    "records.copy_certified": ("ทำสำเนาถูกต้อง", "Certified copy made"),
    "records.regraded": ("ปรับชั้นความลับ", "Secrecy class changed"),
}


def _to(data: dict) -> str:
    return ", ".join(s.get("to", "") for s in data.get("steps") or data.get("assigned") or [] if s.get("to"))


def codes_in(data: dict) -> set[str]:
    """The unit and agency codes an event's data names (the caller turns them into names: no code reaches a
    person reading a timeline)."""
    data = data or {}
    out = {str(data[k]) for k in ("unit", "to", "recipient", "sender") if isinstance(data.get(k), str)}
    out |= {str(c) for c in data.get("recipients") or [] if isinstance(c, str)}
    return out


def detail(action: str, data: dict, names: dict[str, str] | None = None, lang: str = "th") -> str:
    """A short description of an event for timelines (to whom, what was written, why) in the UI's language;
    ``names`` turns the unit and agency codes of :func:`codes_in` into their names."""
    data = data or {}
    if names:
        data = {k: names.get(v, v) if isinstance(v, str) else [names.get(x, x) if isinstance(x, str) else x
                                                                 for x in v] if isinstance(v, list) else v
                for k, v in data.items()}
    if action in ("routing.distribute", "routing.assign", "routing.apply_template"):
        text = _to(data)
        due = [s["due"] for s in data.get("steps", []) if s.get("due")]
        if due and action == "routing.assign":
            import datetime as dt

            from saraban.kernel.thai import format_date

            text += f" (กำหนดเสร็จ {format_date(dt.date.fromisoformat(due[0]), style='abbr')})"
        return text
    if data.get("withheld") and action in ("routing.endorse", "routing.done", "routing.return"):
        return "(ข้อความของหนังสือชั้นความลับ ไม่บันทึกในบันทึกการตรวจสอบ)"
    if action == "routing.endorse":
        who = data.get("typed_name", "")
        to = _to(data)
        return f"“{data.get('text', '')}” — {who}" + (f" → {to}" if to else "")
    if action == "routing.done":
        return data.get("result", "")
    if action == "routing.return":
        return data.get("reason", "")
    if action == "routing.recall":
        return data.get("to", "")
    if action == "routing.circular":
        return f"{data.get('count', 0)} ราย"
    if action == "routing.remind":
        return f"{len(data.get('steps', []))} ราย"
    if action in ("registry.register_incoming", "registry.register_copy"):
        number = "receipt no." if lang == "en" else "เลขรับ"
        return f"{data.get('unit', '')} {number} {data.get('number', '')}".strip()
    return ""


def label(action: str, lang: str = "th") -> str:
    th, en = LABELS.get(action, (action, action))
    return en if lang == "en" else th
