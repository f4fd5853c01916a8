// The robot check's own Thai strings, as altcha 3.3.0 ships them (MIT licence) in
// altcha_django/i18n/all.js, which holds every language: 68 KB of script on the login page for
// one of them. English is built into the widget. Loaded after the widget's module, which makes
// globalThis.$altcha (settings.ALTCHA_WIDGET_I18N_JS_URL); tests/core/test_robot_check_script.py
// keeps it equal to the installed altcha's.
globalThis.$altcha.i18n.set("th", {
  ariaLinkLabel: "Altcha (เว็บไซต์ทางการ)",
  enterCode: "ป้อนรหัส",
  enterCodeAria: "ป้อนรหัสที่คุณได้ยิน กด Space เพื่อเล่นเสียง",
  error: "การตรวจสอบล้มเหลว กรุณาลองอีกครั้งภายหลัง",
  expired: "การตรวจสอบหมดอายุ กรุณาลองใหม่",
  footer: 'ป้องกันโดย <a href="https://altcha.org/" tabindex="-1" target="_blank" rel="noopener" aria-label="Altcha (เว็บไซต์ทางการ)">ALTCHA</a>',
  getAudioChallenge: "รับการท้าทายเสียง",
  label: "ฉันไม่ใช่บอท",
  loading: "กำลังโหลด...",
  reload: "โหลดใหม่",
  verify: "ตรวจสอบ",
  verificationRequired: "จำเป็นต้องตรวจสอบ!",
  verified: "ตรวจสอบแล้ว",
  verifying: "กำลังตรวจสอบ...",
  waitAlert: "กำลังตรวจสอบ... กรุณารอ",
  cancel: "ยกเลิก",
  enterCodeFromImage: "เพื่อดำเนินการต่อ โปรดป้อนรหัสจากรูปภาพด้านล่าง"
});
