"""The first-run tour: a short panel per role on the first pages a person opens, until they close it
(remembered per person in the browser, keyed by their account)."""

from __future__ import annotations

from typing import Any

# the role whose tour a person sees: the first they hold in this order
ORDER = ["admin", "executive", "registrar", "secret_registrar", "officer", "records"]

TOURS: dict[str, dict[str, Any]] = {
    "registrar": {"guide": "desk", "th": "โต๊ะงานสารบรรณ: เริ่มต้นอย่างไร",
                  "en": "The registrar's desk: getting started",
                  "steps": [("คิวด้านซ้ายเรียงตามชั้นความเร็ว กดหนังสือเพื่อเปิดแบบฟอร์มลงทะเบียน",
                             "The queue on the left is sorted by urgency: open a letter to register it"),
                            ("ตรวจข้อมูลที่ระบบกรอกให้ (พื้นเหลือง) แล้วกด \"ลงทะเบียนรับ\" "
                             "ระบบออกเลขรับและประทับตรารับให้",
                             "Check the pre-filled fields (yellow), then \"Register\": number and stamp follow"),
                            ("ส่งหนังสือต่อให้หน่วยงานหรือผู้บริหารจากหน้าหนังสือ",
                             "Send the letter on from its page")]},
    "executive": {"guide": "routing", "th": "งานที่รอท่านพิจารณา", "en": "Waiting for your decision",
                  "steps": [("หน้า \"เพื่อพิจารณา\" แสดงหนังสือและร่างที่รอท่าน เรียงตามความเร่งด่วน",
                             "\"For my decision\" lists the letters and drafts waiting for you, most urgent first"),
                            ("เปิดหนังสือแล้วกดข้อความเกษียนสำเร็จรูป หรือ \"มอบ … ดำเนินการ\" แล้วเลือกผู้รับผิดชอบ",
                             "Open a letter and tap a ready endorsement, or \"Assign … for action\" and pick a person"),
                            ("บนโทรศัพท์ กดปุ่ม \"เมนู\" ด้านบนเพื่อไปหน้าอื่น",
                             "On a phone, the \"Menu\" button opens the menu")]},
    "officer": {"guide": "routing", "th": "งานของฉัน", "en": "My work",
                "steps": [("\"งานของฉัน\" แสดงงานที่ได้รับมอบหมายและกำหนดเสร็จ",
                           "\"My work\" lists what you were given and when it is due"),
                          ("เปิดหนังสือ กด \"รับทราบ\" หรือ \"ส่งรายงานผล\" เมื่อทำเสร็จ",
                           "Open a letter, then \"Acknowledge\" or \"Report done\" when finished"),
                          ("ร่างหนังสือตอบได้จากเมนู \"ร่างหนังสือ\"", "Draft a reply from \"Drafts\"")]},
    "admin": {"guide": "admin", "th": "การดูแลระบบ", "en": "Running the system",
              "steps": [("ตั้งค่าตราครุฑและตราส่วนราชการที่ \"ตั้งค่าส่วนราชการ\"",
                         "Set the Garuda and the agency seal in \"Agency settings\""),
                        ("ดูแลปฏิทินวันหยุดและเส้นทางหนังสือ", "Keep the holidays and the route templates up to date"),
                        ("ตรวจสถานะอีเมลกลางและการเชื่อมโยงระหว่างหน่วยงาน",
                         "Check the central mailbox and the links between agencies")]},
}
TOURS["secret_registrar"] = TOURS["registrar"]
TOURS["records"] = TOURS["officer"]


def tour_for(person: Any) -> dict[str, Any] | None:
    """The tour for ``person``'s main role, or None (no person, no role)."""
    if person is None:
        return None
    held = set(person.roles.values_list("role", flat=True))
    role = next((r for r in ORDER if r in held), None)
    if role is None:
        return None
    return {"role": role, **TOURS[role]}
