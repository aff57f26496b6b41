"""English for the Thai words the system itself shows (choice labels, kinds, states, roles): the English UI
shows these through ``{{ value|tr }}`` (web/templatetags/sb.py).  Thai is the source; anything not here is
shown as it is (names and letter content are never translated)."""

from __future__ import annotations

EN: dict[str, str] = {
    # secrecy, urgency, clearance
    "ปกติ": "Normal", "ด่วน": "Urgent", "ด่วนมาก": "Very urgent", "ด่วนที่สุด": "Most urgent",
    "ลับ": "Confidential", "ลับมาก": "Secret", "ลับที่สุด": "Top secret",
    "ไม่มีสิทธิ์เข้าถึงชั้นความลับ": "No clearance",
    # letter kinds and forms
    "หนังสือภายนอก": "External letter", "หนังสือภายใน": "Internal memo", "หนังสือภายใน (บันทึกข้อความ)": "Internal memo",
    "บันทึกข้อความ": "Memo", "หนังสือประทับตรา": "Stamped letter", "หนังสือสั่งการ": "Directive",
    "หนังสือประชาสัมพันธ์": "Public notice", "หนังสือที่เจ้าหน้าที่ทำขึ้น": "Record made by officials",
    "หนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐานในราชการ": "Record made or kept by officials",
    "คำสั่ง": "Order", "ระเบียบ": "Regulation", "ข้อบังคับ": "Rule", "ประกาศ": "Announcement",
    "แถลงการณ์": "Statement", "ข่าว": "News", "หนังสือรับรอง": "Certificate", "รายงานการประชุม": "Minutes",
    "บันทึก": "Note", "หนังสืออื่น": "Other document", "หนังสือรับ": "Incoming", "หนังสือส่ง": "Outgoing",
    "หนังสือเวียน (ว)": "Circular",
    # register books
    "ทะเบียนหนังสือรับ": "Received register", "ทะเบียนหนังสือส่ง": "Sent register",
    "ทะเบียนหนังสือเวียน (ว)": "Circulars register", "ทะเบียนคำสั่ง": "Orders register",
    "ทะเบียนประกาศ": "Announcements register", "ทะเบียนหนังสือรับรอง": "Certificates register",
    "ทะเบียนรับหนังสือลับ": "Classified received register", "ทะเบียนส่งหนังสือลับ": "Classified sent register",
    "ทะเบียนรับหนังสือ": "Received register",
    # letter and file states
    "ลงทะเบียนแล้ว": "Registered", "ยกเลิก": "Cancelled", "ดำเนินการนอกระบบ": "Handled outside the system",
    "ลงนามแล้ว รอส่ง": "Signed, not yet sent", "ส่งแล้ว": "Sent", "หนังสือ (ต้นฉบับ)": "Letter (original)",
    "สิ่งที่ส่งมาด้วย": "Enclosure", "ฉบับแสดงผล (ประทับตรารับ)": "Display copy (receipt stamp)",
    "ฉบับลงนาม": "Signed copy", "ฉบับแนบบันทึกเกษียน": "Copy with endorsements",
    "ฉบับประทับเลขที่และวันที่": "Copy stamped with number and date",
    # intake
    "อัปโหลด": "Upload", "สแกนจากกระดาษ": "Scanned from paper", "ไปรษณีย์อิเล็กทรอนิกส์กลาง": "Central mailbox",
    "ระบบสารบรรณของหน่วยงานอื่น (SBX)": "Another agency's system (SBX)", "รอลงทะเบียน": "Waiting to register",
    "ปฏิเสธ/ส่งคืน": "Rejected / returned",
    # drafting and signing
    "ร่าง": "Draft", "ระหว่างตรวจ": "In review", "ส่งกลับแก้ไข": "Returned for changes",
    "อนุมัติแล้ว รอลงนาม": "Approved, to sign", "ลงนามแล้ว": "Signed", "ผู้ร่าง": "Drafter", "ผู้พิมพ์": "Typist",
    "ผู้ตรวจ": "Reviewer", "ผู้ลงนาม": "Signer", "ลายมือชื่อดิจิทัล (ใบรับรอง)": "Digital signature (certificate)",
    "พิมพ์ชื่อในระบบ (ยืนยันตัวตนแล้ว)": "Typed name (identity verified)",
    "ตราชื่อส่วนราชการและอักษรย่อ": "Agency seal", "ตรวจ": "Review", "อนุมัติ": "Approve", "รอ": "Waiting",
    "อยู่ระหว่างพิจารณา": "Under consideration", "ผ่าน": "Passed", "ไฟล์กุญแจ (PKCS#12)": "Key file (PKCS#12)",
    "อุปกรณ์ PKCS#11 (token/HSM)": "PKCS#11 device (token/HSM)", "ผู้ลงนามกรอก PIN ทุกครั้ง": "Signer types the PIN",
    "PIN เก็บในระบบ (ตราส่วนราชการ)": "PIN kept by the system (agency seal)",
    # routing
    "ส่ง": "Sent", "มอบหมาย": "Assign", "แจ้งเวียน": "Circulate", "เสนอ": "Propose", "รอถึงลำดับ": "Waiting its turn",
    "ยังไม่เปิด": "Not opened", "เปิดอ่านแล้ว": "Opened", "รับทราบแล้ว": "Acknowledged", "ดำเนินการแล้ว": "Done",
    "ส่งคืน": "Returned", "เรียกคืน": "Recalled", "วันหยุดราชการประจำปี": "Official holiday",
    "วันหยุดชดเชย": "Substitute holiday", "วันหยุดราชการเพิ่มเป็นกรณีพิเศษ": "Special holiday",
    "วันหยุดที่ผู้ดูแลระบบกำหนด": "Local holiday", "แจ้งทุกครั้ง": "Each time", "สรุปวันละครั้ง": "Daily digest",
    # exchange and mail
    "รอส่ง": "Waiting to send", "ส่งไม่สำเร็จ": "Sending failed", "ระบบสารบรรณอิเล็กทรอนิกส์ (SBX)": "E-correspondence (SBX)",
    "ไปรษณีย์อิเล็กทรอนิกส์": "E-mail", "ไปรษณีย์": "Post", "พนักงานเดินหนังสือ": "Messenger",
    "ส่งถึงแล้ว": "Delivered", "ปลายทางลงทะเบียนรับแล้ว": "Registered by the recipient",
    "ปลายทางปฏิเสธ": "Rejected by the recipient", "ปลายทางแจ้งหนังสือผิด": "Reported invalid by the recipient",
    "ถอนคืนแล้ว": "Withdrawn", "ส่งแล้ว (นอกระบบ)": "Sent (outside the system)",
    "รับจากเครื่องแม่ข่ายอีเมลของหน่วยงาน (SMTP)": "From the agency's mail server (SMTP)",
    "ดึงจากกล่องจดหมายเดิม (IMAP)": "Fetched from a mailbox (IMAP)", "TLS ตั้งแต่เริ่มเชื่อมต่อ": "TLS from the start",
    "ไม่เข้ารหัส (ทดสอบเท่านั้น)": "Unencrypted (tests only)", "รับแล้ว รอตรวจ": "Received, to check",
    "เข้าคิวรอลงทะเบียนแล้ว": "Queued for registration", "กักไว้ตรวจสอบ": "Quarantined",
    "ไม่รับเข้าคิว (เก็บต้นฉบับไว้)": "Not queued (original kept)", "ส่งแล้ว (เครื่องแม่ข่ายรับแล้ว)": "Sent (server accepted)",
    # text, OCR, backups, people
    "ชั้นข้อความใน PDF": "PDF text layer", "OCR (Tesseract ภาษาไทย)": "OCR (Tesseract, Thai)", "เสร็จแล้ว": "Done",
    "รอคิว OCR": "Waiting for OCR", "กำลังอ่านข้อความ (OCR)": "Reading the text (OCR)", "อ่านไม่สำเร็จ": "Could not read",
    "ไม่อ่าน (หนังสือลับ)": "Not read (classified)", "กำลังสำรองข้อมูล": "Backing up", "สำเร็จ": "Succeeded",
    "ไม่สำเร็จ": "Failed", "เลขอารบิก": "Arabic digits", "เลขไทย": "Thai digits", "ดำรงตำแหน่ง": "Holder",
    "รักษาการแทน": "Acting", "ผู้ดูแลระบบของหน่วยงาน": "Agency administrator", "เจ้าหน้าที่สารบรรณ": "Registrar",
    "นายทะเบียนหนังสือลับ": "Classified registrar", "ผู้บริหาร": "Executive", "ผู้ปฏิบัติงาน": "Officer",
    "เจ้าหน้าที่เก็บรักษาหนังสือ": "Records officer",
    # the register's official columns (forms 13 and 14)
    "เลขทะเบียนรับ": "Receipt no.", "เลขทะเบียนส่ง": "Sent no.", "เลขทะเบียน": "No.", "ที่": "Reference",
    "ลงวันที่": "Date", "จาก": "From", "ถึง": "To", "เรื่อง": "Subject", "การปฏิบัติ": "Action",
    "หมายเหตุ": "Remark",
    # records: filing, retention classes, destruction lists, committees, loans, grade changes (ข้อ 54–70)
    "เก็บรักษา": "Kept", "อยู่ในบัญชีขอทำลาย": "On a destruction list", "ทำลายแล้ว": "Destroyed",
    "ส่งมอบหอจดหมายเหตุแห่งชาติแล้ว": "Delivered to the National Archives",
    "1 ปี": "1 year", "5 ปี": "5 years", "10 ปี": "10 years", "ห้ามทำลาย": "Do not destroy",
    "เก็บตลอดไป (ห้ามทำลาย)": "Permanent (do not destroy)", "ตามกฎหมายเฉพาะ": "Per a special law",
    "จัดทำบัญชีแล้ว": "List drawn up", "แต่งตั้งคณะกรรมการแล้ว": "Committee appointed",
    "คณะกรรมการลงนามแล้ว": "Signed by the committee", "หัวหน้าส่วนราชการเห็นชอบแล้ว": "Approved by the head",
    "ส่งกรมศิลปากรแล้ว": "Sent to the Fine Arts Department", "ยังไม่พิจารณา": "Not yet decided",
    "ทำลาย": "Destroy", "ขยายเวลาเก็บ": "Keep longer", "ประธานกรรมการ": "Chair", "กรรมการ": "Member",
    "ปรับชั้นความลับสูงขึ้น": "Grade raised", "ปรับชั้นความลับลดลง": "Grade lowered",
    "ยกเลิกชั้นความลับ": "Declassified", "กำหนดชั้นความลับ": "Classified",
    "สิทธิ์เข้าถึงฉบับอิเล็กทรอนิกส์ (หมดอายุเอง)": "Electronic access (expires by itself)",
    "ต้นฉบับกระดาษ": "Paper original", "สำเนาถูกต้อง": "Certified copy", "ภายในส่วนราชการ": "Within the agency",
    "ส่วนราชการอื่น": "Another agency", "บุคคลภายนอก": "An outsider",
}


def english(thai: str) -> str:
    """The English of a Thai system word, or the word itself when it is not one (a name, a subject)."""
    return EN.get(str(thai).strip(), str(thai))
