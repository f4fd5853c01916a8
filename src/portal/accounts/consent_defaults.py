"""The consent documents every installation starts with (version 1), in the portal's own
words. The data migration installs them; tests whose database was emptied reinstall them."""

TERMS_TH = """ข้อตกลงการใช้บริการพอร์ทัลอุตสาหกรรม

1. บัญชีสมาชิกเป็นของบุคคลธรรมดาสัญชาติไทยหนึ่งคนต่อเลขประจำตัวประชาชนหนึ่งเลข ห้ามให้ผู้อื่นใช้บัญชีแทน
2. ข้อมูลที่กรอกต้องตรงกับบัตรประจำตัวประชาชนใบปัจจุบัน ระบบจะตรวจสอบกับทะเบียนราษฎร (กรมการปกครอง)
3. สมาชิกต้องเก็บรหัสผ่านเป็นความลับ และแจ้งกระทรวงอุตสาหกรรมทันทีเมื่อสงสัยว่ามีผู้อื่นใช้บัญชี
4. การลงทะเบียนและการใช้งานพอร์ทัลไม่มีค่าบริการ
5. ธุรกรรมที่ทำในนามกิจการหรือโรงงานผ่านบัญชีนี้ถือเป็นการกระทำของสมาชิก
6. กระทรวงอุตสาหกรรมเก็บและใช้ข้อมูลส่วนบุคคลเพื่อให้บริการตามอำนาจหน้าที่ตามกฎหมาย และตามความยินยอมที่สมาชิกเลือกในขั้นตอนถัดไป"""

TERMS_EN = """Terms of use of the Industry Portal

1. An account belongs to one Thai citizen, one national ID per account; nobody else may use it.
2. What you type must match your current ID card; it is checked with the civil registry (DOPA).
3. Keep your password secret and tell the Ministry of Industry at once if you think someone else used your account.
4. Registering and using the portal costs nothing.
5. What is done for a business or factory through this account is done by you.
6. The Ministry of Industry collects and uses personal data to provide its services under the law, and for the purposes you consent to in the next step."""

PURPOSES = [
    (
        "service-news",
        1,
        "การรับข่าวสารและการแจ้งเตือนบริการ",
        "News and service notices",
        "ยินยอมให้กระทรวงอุตสาหกรรมส่งข่าวสาร กิจกรรม และการแจ้งเตือนบริการใหม่ ทาง SMS อีเมล หรือ LINE",
        "The Ministry of Industry may send you news, events and notices of new services by SMS, email or LINE.",
    ),
    (
        "share-agencies",
        2,
        "การส่งต่อข้อมูลให้หน่วยงานในสังกัดกระทรวง",
        "Sharing with the ministry's agencies",
        "ยินยอมให้ส่งต่อชื่อและช่องทางติดต่อของท่านให้หน่วยงานในสังกัดกระทรวงอุตสาหกรรม (เช่น กรมโรงงานอุตสาหกรรม สมอ. สำนักงานอุตสาหกรรมจังหวัด) เพื่อติดต่อเรื่องบริการที่ท่านใช้ โดยไม่ต้องกรอกข้อมูลซ้ำ",
        "Your name and contacts may be passed to the ministry's agencies (such as DIW, TISI and the provincial industry offices) so that they can reach you about services you use without asking you again.",
    ),
    (
        "service-research",
        3,
        "การสำรวจความพึงพอใจและพัฒนาบริการ",
        "Surveys and service improvement",
        "ยินยอมให้ติดต่อท่านเพื่อสำรวจความพึงพอใจ และใช้ข้อมูลการใช้งานแบบไม่ระบุตัวตนเพื่อปรับปรุงบริการ",
        "You may be asked to take part in satisfaction surveys, and anonymous usage data may be used to improve the services.",
    ),
]


def install_default_consent_documents(document_model, using: str = "default") -> None:
    """Create version 1 of the terms and each PDPA purpose where it does not exist yet."""
    document_model._default_manager.db_manager(using).get_or_create(
        purpose="terms",
        version=1,
        defaults={
            "kind": "terms",
            "title_th": "หลักเกณฑ์ เงื่อนไข และความยินยอม",
            "title_en": "Terms, conditions and consent",
            "body_th": TERMS_TH,
            "body_en": TERMS_EN,
            "order": 0,
        },
    )
    for purpose, order, title_th, title_en, body_th, body_en in PURPOSES:
        document_model._default_manager.db_manager(using).get_or_create(
            purpose=purpose,
            version=1,
            defaults={
                "kind": "pdpa",
                "title_th": title_th,
                "title_en": title_en,
                "body_th": body_th,
                "body_en": body_en,
                "order": order,
            },
        )
