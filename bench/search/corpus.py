"""Realistic generated Thai letters for the search benchmarks, and the relevance set planted in them.

Every letter is made from a seed (``random.Random(seed)``), so the same call gives the same letters on any
machine.  Letters read like a Thai agency's mail: a ที่ with the sender's prefix (Thai or Arabic digits),
a subject made of a purpose and a topic, parties from real government names, a body of several paragraphs
(the text layer of the PDF; in some letters ``ำ`` comes out as ``า`` as common PDF tools write it), an
endorsement and an instruction by plainly fictitious officials.

:func:`relevance_set` plants *needles* in chosen letters of a corpus and returns the queries with the
letters each must find (stored in ``relevance.json`` beside this file): whole references typed with the
other digits, project names from the body, topics that are some letters' subject and only mentioned in
others (ranking must put the subject ones first), people who endorsed, Latin words in any case, a sender
and a date, words split by a zero-width space.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RELEVANCE = HERE / "relevance.json"

AGENCIES = [
    ("กค", "กระทรวงการคลัง"), ("กษ", "กระทรวงเกษตรและสหกรณ์"), ("มท", "กระทรวงมหาดไทย"), ("ศธ", "กระทรวงศึกษาธิการ"),
    ("สธ", "กระทรวงสาธารณสุข"), ("คค", "กระทรวงคมนาคม"), ("ทส", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("พน", "กระทรวงพลังงาน"), ("พณ", "กระทรวงพาณิชย์"), ("รง", "กระทรวงแรงงาน"), ("วธ", "กระทรวงวัฒนธรรม"),
    ("อว", "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"), ("นร", "สำนักนายกรัฐมนตรี"),
    ("กต", "กระทรวงการต่างประเทศ"), ("ยธ", "กระทรวงยุติธรรม"), ("อก", "กระทรวงอุตสาหกรรม"),
    ("กก", "กระทรวงการท่องเที่ยวและกีฬา"), ("พม", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"),
]
DEPARTMENTS = ["กรมบัญชีกลาง", "กรมชลประทาน", "กรมการปกครอง", "กรมส่งเสริมการเกษตร", "กรมควบคุมโรค", "กรมทางหลวง",
               "กรมป่าไม้", "กรมศิลปากร", "กรมสรรพากร", "กรมพัฒนาฝีมือแรงงาน", "สำนักงบประมาณ", "สำนักงาน ก.พ.",
               "สำนักงานสถิติแห่งชาติ", "กรมอุตุนิยมวิทยา", "กรมประชาสัมพันธ์", "กรมโยธาธิการและผังเมือง"]
TOPICS = [
    "การจัดทำงบประมาณรายจ่ายประจำปี", "การตรวจสอบภายใน", "การบริหารความเสี่ยง", "การป้องกันและปราบปรามการทุจริต",
    "การพัฒนารัฐบาลดิจิทัล", "การรักษาความมั่นคงปลอดภัยไซเบอร์", "การคุ้มครองข้อมูลส่วนบุคคล", "การจัดซื้อจัดจ้าง",
    "การฝึกอบรมข้าราชการ", "การประเมินผลการปฏิบัติราชการ", "การเตรียมความพร้อมรับมืออุทกภัย", "การป้องกันไฟป่าและหมอกควัน",
    "การส่งเสริมการท่องเที่ยวชุมชน", "การพัฒนาคุณภาพการศึกษา", "การเฝ้าระวังโรคติดต่อ", "การบริหารจัดการน้ำ",
    "การจัดเก็บรายได้ท้องถิ่น", "การลดใช้พลังงานในหน่วยงานภาครัฐ", "การจัดงานวันข้าราชการพลเรือน", "การสำรวจสำมะโนประชากร",
    "การปรับปรุงระบบสารบรรณอิเล็กทรอนิกส์", "การเบิกจ่ายเงินงบประมาณ", "การโอนเปลี่ยนแปลงงบประมาณ", "การบำรุงรักษาทางหลวง",
    "การส่งเสริมสินค้าเกษตรปลอดภัย", "การจัดการขยะมูลฝอย", "การพัฒนาฝีมือแรงงาน", "การอนุรักษ์โบราณสถาน",
    "การคัดเลือกข้าราชการดีเด่น", "การรายงานสถิติอุบัติเหตุทางถนน", "การจัดทำแผนปฏิบัติราชการ", "การสำรวจความพึงพอใจของประชาชน",
]
PURPOSES = ["ขอเชิญประชุม", "ขอความอนุเคราะห์ข้อมูล", "แจ้งแนวทาง", "รายงานผล", "ขออนุมัติดำเนินการ", "ขอส่งเอกสาร",
            "ขอความร่วมมือ", "แจ้งกำหนดการ", "ขอเชิญเข้าร่วมสัมมนา", "ซักซ้อมความเข้าใจ"]
PROVINCES = ["เชียงใหม่", "เชียงราย", "น่าน", "ขอนแก่น", "อุดรธานี", "นครราชสีมา", "อุบลราชธานี", "สุราษฎร์ธานี", "สงขลา",
             "ภูเก็ต", "ชลบุรี", "ระยอง", "พิษณุโลก", "นครสวรรค์", "กาญจนบุรี", "ลำปาง", "แพร่", "ตรัง", "ยะลา", "สกลนคร"]
VILLAGES = ["หนองบัว", "โนนสูง", "ดอนแก้ว", "ห้วยทราย", "นาคำ", "โคกกลาง", "บึงบอน", "ป่าตึง", "แม่สาย", "ท่าช้าง",
            "หนองแวง", "ดงเย็น", "สามขา", "แม่ทา", "ห้วยน้ำริน", "บ่อแก้ว", "นาหว้า", "โพธิ์ทอง", "วังหิน", "ทุ่งลาน"]
GROUPS = ["เกษตรกร", "ผู้สูงอายุ", "เยาวชน", "วิสาหกิจชุมชน", "อาสาสมัครสาธารณสุข", "ครูผู้สอน", "ผู้ประกอบการรายย่อย",
          "ชาวประมงพื้นบ้าน", "กลุ่มสตรี", "ผู้พิการ"]
ACTIVITIES = ["พัฒนาศักยภาพ", "ส่งเสริมอาชีพ", "เสริมสร้างความเข้มแข็ง", "ยกระดับรายได้", "ฟื้นฟูคุณภาพชีวิต",
              "สร้างเครือข่าย", "ถ่ายทอดเทคโนโลยีแก่"]
FIRST = ["สมชาย", "สมศรี", "วิชัย", "กมลา", "ประเสริฐ", "สุดารัตน์", "อนันต์", "พิมพ์ใจ", "ธนพล", "วรรณา", "ชัยวัฒน์",
         "นงลักษณ์", "สุรชัย", "อรุณี", "ณัฐพงศ์", "จันทร์เพ็ญ", "ปิยะ", "รัชนี", "เอกชัย", "ศิริพร"]
LAST = ["ใจดี", "รักงาน", "มั่นคง", "ศรีสุข", "ทองดี", "บุญมา", "แสงทอง", "พูลผล", "วงศ์ใหญ่", "ชูชื่น", "สายสุข",
        "มีทรัพย์", "คงเจริญ", "ดีมาก", "ทดลองนาม"]
LATIN = ["Smart City", "Open Data", "Big Data", "Cloud First", "Digital ID", "e-Saraban", "API Gateway", "GovTech",
         "Data Catalog", "Zero Trust", "e-Payment", "Single Window"]
UNITS = ["ops-central", "ops-saraban", "ops-finance", "ops-legal", "ops-ict", "ops-policy"]
KINDS = ["external"] * 6 + ["memo"] * 3 + ["directive", "notice"]
URGENCY = ["normal"] * 7 + ["urgent", "very_urgent", "most_urgent"]
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
START = dt.date(2024, 1, 1)


@dataclass
class Spec:
    key: int
    unit: str
    direction: str
    kind: str
    their_ref: str
    letter_date: str
    sender: str
    addressee: str
    subject: str
    urgency: str
    secrecy: str
    body: str
    endorsement: str = ""
    endorser: str = ""
    instruction: str = ""
    enclosure: bool = False
    extra: list[str] = field(default_factory=list)


def person(rnd: random.Random) -> str:
    return f"{rnd.choice(['นาย', 'นาง', 'นางสาว'])}{rnd.choice(FIRST)} {rnd.choice(LAST)}"


def _body(rnd: random.Random, topic: str, sender: str) -> str:
    place = rnd.choice(PROVINCES)
    amount = f"{rnd.randint(1, 999)},{rnd.randint(100, 999)}"
    day = START + dt.timedelta(days=rnd.randint(0, 900))
    paragraphs = [
        f"ด้วย{sender}ได้รับมอบหมายให้ดำเนินงานเกี่ยวกับ{topic} ประจำปีงบประมาณ พ.ศ. {day.year + 543} "
        f"โดยมีวัตถุประสงค์เพื่อให้การดำเนินงานของหน่วยงานภาครัฐเป็นไปอย่างมีประสิทธิภาพ",
        f"ในการนี้ จึงขอความร่วมมือจากหน่วยงานของท่านในการจัดส่งข้อมูลและผู้แทนเข้าร่วมการประชุม ณ จังหวัด{place} "
        f"ในวันที่ {day.day} {['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'][day.month - 1]} {day.year + 543}",  # noqa: E501
        f"ทั้งนี้ ค่าใช้จ่ายในการดำเนินการจำนวน {amount} บาท ให้เบิกจ่ายจากงบประมาณของหน่วยงานต้นสังกัด "
        "ตามระเบียบกระทรวงการคลังว่าด้วยการเบิกค่าใช้จ่ายในการบริหารงานของส่วนราชการ",
        "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป จักขอบคุณยิ่ง",
    ]
    if rnd.random() < 0.3:
        paragraphs.insert(2, f"อนึ่ง ให้ประสานการดำเนินงานกับเครือข่าย {rnd.choice(LATIN)} และรายงานผลภายในกำหนด")
    return "\n".join(paragraphs)


def pdf_confusion(text: str) -> str:
    """Text as some PDF tools give it back: ``ำ`` read as ``า``, or written as ``ํ`` + ``า``."""
    odd = int(hashlib.md5(text.encode()).hexdigest(), 16) % 2
    return text.replace("ำ", "า") if odd else text.replace("ำ", "\u0e4d\u0e32")


def letter(rnd: random.Random, key: int) -> Spec:
    prefix, ministry = rnd.choice(AGENCIES)
    sender = rnd.choice([*DEPARTMENTS, ministry])
    topic = rnd.choice(TOPICS)
    day = START + dt.timedelta(days=rnd.randint(0, 900))
    circular = "ว " if rnd.random() < 0.2 else ""
    number = f"{rnd.randint(1, 9999):04d}.{rnd.randint(1, 9)}/{circular}{rnd.randint(1, 9999)}"
    ref = f"{prefix} {number}"
    if rnd.random() < 0.35:
        ref = ref.translate(THAI)
    body = _body(rnd, topic, sender)
    if rnd.random() < 0.3:
        body = pdf_confusion(body)
    spec = Spec(
        key=key, unit=rnd.choice(UNITS), direction=rnd.choice(["incoming"] * 4 + ["outgoing"]), kind=rnd.choice(KINDS),
        their_ref=ref, letter_date=day.isoformat(), sender=sender,
        addressee=rnd.choice(["ปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "ผู้อำนวยการกองกลาง", "อธิบดี"]),
        subject=f"{rnd.choice(PURPOSES)}{topic}", urgency=rnd.choice(URGENCY),
        secrecy="confidential" if rnd.random() < 0.02 else "normal", body=body, enclosure=rnd.random() < 0.3,
    )
    if rnd.random() < 0.6:
        spec.endorser = person(rnd)
        spec.endorsement = rnd.choice(["ทราบ มอบกองกลางดำเนินการ", "เห็นควรแจ้งเวียนให้ทราบ", "อนุมัติ",
                                       "มอบ ผอ.กอง พิจารณาเสนอความเห็น"])
        spec.instruction = f"ขอให้ดำเนินการเรื่อง{topic}และรายงานผล"
    return spec


def corpus(n: int, seed: int = 13) -> list[Spec]:
    rnd = random.Random(seed)
    return [letter(rnd, i) for i in range(n)]


def fingerprint(specs: list[Spec]) -> str:
    h = hashlib.sha256()
    for s in specs:
        h.update(json.dumps(asdict(s), ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


def relevance_set(specs: list[Spec], seed: int = 7) -> list[dict]:
    """Plant needles in ``specs`` (changing them) and return ``[{"q", "kind", "relevant": [keys]}]``."""
    rnd = random.Random(seed)
    queries: list[dict] = []
    used: set[int] = set()

    def pick(k: int) -> list[Spec]:
        out = rnd.sample([s for s in specs if s.secrecy == "normal" and s.key not in used], k)
        used.update(s.key for s in out)
        return out

    for i in range(30):  # a whole ที่, typed with the other digits (or part of it)
        (s,) = pick(1)
        s.their_ref = f"{rnd.choice(AGENCIES)[0]} 9{i:03d}.{rnd.randint(1, 9)}/{rnd.randint(100, 999)}"
        if i % 2:
            s.their_ref = s.their_ref.translate(THAI)
        typed = s.their_ref.translate(ARABIC) if i % 2 else s.their_ref.translate(THAI)
        queries.append({"q": typed if i % 3 else typed.split(" ", 1)[1], "kind": "reference", "relevant": [s.key]})
    combos = rnd.sample([(a, g, v) for a in ACTIVITIES for g in GROUPS for v in VILLAGES], 30)
    for i, (act, grp, vil) in enumerate(combos):  # a project named in the body (some via the PDF's text layer)
        found = pick(rnd.randint(1, 3))
        name = f"โครงการ{act}{grp}บ้าน{vil}"
        for s in found:
            line = f"ตามที่ได้ดำเนิน{name} จังหวัด{rnd.choice(PROVINCES)} แล้วนั้น"
            s.body += "\n" + (pdf_confusion(line) if i % 3 == 0 else line)
        queries.append({"q": f"{act}{grp}บ้าน{vil}", "kind": "body phrase", "relevant": [s.key for s in found]})
    for i in range(20):  # a topic: the subject of a few letters, mentioned in the body of many more
        topic = f"การจัดทำมาตรฐาน{rnd.choice(GROUPS)}ด้าน{rnd.choice(['ดิจิทัล', 'พลังงาน', 'การเงิน', 'สุขภาพ'])}รุ่นที่ {i + 1}"
        subjects, mentions = pick(rnd.randint(2, 4)), pick(15)
        for s in subjects:
            s.subject = f"{rnd.choice(PURPOSES)}{topic}"
        for s in mentions:
            s.body += f"\nอนึ่ง ได้ดำเนินการตามแนวทาง{topic}ไปแล้วบางส่วน"
        queries.append({"q": topic, "kind": "topic (ranking)", "relevant": [s.key for s in subjects]})
    for i in range(12):  # an official who endorsed a few letters
        name = f"นาย{rnd.choice(FIRST)}ทดสอบ {rnd.choice(LAST)}ลำดับที่{i:02d}"
        found = pick(rnd.randint(1, 3))
        for s in found:
            s.endorser, s.endorsement = name, "ทราบ ดำเนินการตามเสนอ"
        queries.append({"q": name[3:], "kind": "endorser", "relevant": [s.key for s in found]})
    for i in range(10):  # a Latin project word, typed in another case
        word = f"{rnd.choice(LATIN)} Phase{i + 2}"
        found = pick(rnd.randint(1, 2))
        for s in found:
            s.body += f"\nภายใต้แผนงาน {word} ของรัฐบาล"
        queries.append({"q": word.upper() if i % 2 else word.lower(), "kind": "latin case",
                        "relevant": [s.key for s in found]})
    for i in range(10):  # a sender and a date written another way
        (s,) = pick(1)
        day = dt.date(2026, 1 + i, 3 + i)
        s.letter_date, s.sender = day.isoformat(), f"สำนักงานทดสอบเขต {i + 1}"
        queries.append({"q": f"\"{s.sender}\" {day.day}/{day.month}/{day.year + 543}", "kind": "sender and date",
                        "relevant": [s.key]})
    for _ in range(8):  # a word split by a zero-width space in the data
        (s,) = pick(1)
        word = f"ศูนย์ประสานงาน{rnd.choice(VILLAGES)}{rnd.choice(PROVINCES)}"
        s.subject = f"ขอส่งรายชื่อ{word[:6]}\u200b{word[6:]}"
        queries.append({"q": word, "kind": "zero-width", "relevant": [s.key]})
    return queries


def build(n: int = 2000) -> tuple[list[Spec], list[dict]]:
    specs = corpus(n)
    return specs, relevance_set(specs)


def write_relevance(n: int = 2000) -> None:
    specs, queries = build(n)
    RELEVANCE.write_text(json.dumps({"letters": n, "seed": 13, "fingerprint": fingerprint(specs),
                                     "queries": queries}, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    write_relevance()
    data = json.loads(RELEVANCE.read_text())
    print(f"{len(data['queries'])} queries over {data['letters']} letters -> {RELEVANCE}")
