"""What a Word export says around the agreement's text, in the agreement's language.

Only the export's own words live here; clause text is what the parties wrote and is
never translated. An unknown language falls back to English, label by label.
"""
from __future__ import annotations

from datetime import datetime, timezone

# Word's proofing language (w:lang) and the document's language property.
LOCALES = {"en": "en-GB", "es": "es-ES", "pl": "pl-PL", "he": "he-IL", "ru": "ru-RU", "tl": "fil-PH", "ar": "ar-SA"}
VERIFY_COMMAND = "flask --app app verify FILE"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "between": "between", "and": "and", "revision": "Revision", "revision_hash": "SHA-256",
        "contents": "Contents",
        "update_contents": "To see the contents, update this field: in Word, right-click here and choose "
                           "Update Field (F9); in LibreOffice, choose Tools > Update > Update All.",
        "page": "Page", "of": "of",
        "signature_page": "Signature page", "certificate": "Certificate of completion",
        "provider": "Provider", "client": "Client",
        "name": "Name", "job_title": "Title", "email": "E-mail", "signed_at": "Signed at", "ip": "IP address",
        "signed_revision": "Revision signed", "signed_hash": "SHA-256 signed",
        "signed_electronically": "Signed electronically", "consent": "Consent to sign electronically",
        "void": "VOID", "void_reason": "signed an earlier revision",
        "executed_hash": "Executed text SHA-256", "executed_at": "Executed at",
        "events": "Events", "time": "Time (UTC)", "person": "Person", "event": "Event",
        "revisions": "Revisions", "number": "No.", "date": "Date (UTC)", "author": "Author", "message": "Message",
        "audit_head": "Audit chain head", "how_to_verify": "How to verify",
        "verify": "Upload this file at {verify_url} or run `{command}`",
        "signatories": "Signatories and who invited them",
        "joined_invitation": "invited by {inviter} on {invited_at}; accepted the invitation on {joined_at}",
        "joined_creator": "created the agreement on {joined_at}",
        "joined_unrecorded": "a member since {joined_at}; no invitation on record",
    },
    "es": {
        "between": "entre", "and": "y", "revision": "Revisión", "revision_hash": "SHA-256",
        "contents": "Índice",
        "update_contents": "Para ver el índice, actualice este campo: en Word, haga clic con el botón derecho "
                           "aquí y elija «Actualizar campo» (F9); en LibreOffice, elija Herramientas > "
                           "Actualizar > Actualizar todo.",
        "page": "Página", "of": "de",
        "signature_page": "Página de firmas", "certificate": "Certificado de finalización",
        "provider": "Proveedor", "client": "Cliente",
        "name": "Nombre", "job_title": "Cargo", "email": "Correo electrónico", "signed_at": "Firmado el",
        "ip": "Dirección IP", "signed_revision": "Revisión firmada", "signed_hash": "SHA-256 firmado",
        "signed_electronically": "Firmado electrónicamente", "consent": "Consentimiento para la firma electrónica",
        "void": "NULA", "void_reason": "firmó una revisión anterior",
        "executed_hash": "SHA-256 del texto formalizado", "executed_at": "Formalizado el",
        "events": "Eventos", "time": "Hora (UTC)", "person": "Persona", "event": "Evento",
        "revisions": "Revisiones", "number": "N.º", "date": "Fecha (UTC)", "author": "Autor", "message": "Mensaje",
        "audit_head": "Cabeza de la cadena de auditoría", "how_to_verify": "Cómo verificar",
        "verify": "Suba este archivo en {verify_url} o ejecute `{command}`",
        "signatories": "Firmantes y quién los invitó",
        "joined_invitation": "invitado por {inviter} el {invited_at}; aceptó la invitación el {joined_at}",
        "joined_creator": "creó el acuerdo el {joined_at}",
        "joined_unrecorded": "miembro desde el {joined_at}; no consta invitación",
    },
    "pl": {
        "between": "pomiędzy", "and": "a", "revision": "Wersja", "revision_hash": "SHA-256",
        "contents": "Spis treści",
        "update_contents": "Aby zobaczyć spis treści, zaktualizuj to pole: w programie Word kliknij tutaj prawym "
                           "przyciskiem myszy i wybierz „Aktualizuj pole” (F9); w LibreOffice wybierz Narzędzia > "
                           "Aktualizuj > Aktualizuj wszystko.",
        "page": "Strona", "of": "z",
        "signature_page": "Strona z podpisami", "certificate": "Certyfikat zawarcia umowy",
        "provider": "Usługodawca", "client": "Klient",
        "name": "Imię i nazwisko", "job_title": "Stanowisko", "email": "E-mail", "signed_at": "Data podpisu",
        "ip": "Adres IP", "signed_revision": "Podpisana wersja", "signed_hash": "Podpisany SHA-256",
        "signed_electronically": "Podpisano elektronicznie", "consent": "Zgoda na podpis elektroniczny",
        "void": "NIEWAŻNY", "void_reason": "podpisano wcześniejszą wersję",
        "executed_hash": "SHA-256 zawartego tekstu", "executed_at": "Data zawarcia",
        "events": "Zdarzenia", "time": "Czas (UTC)", "person": "Osoba", "event": "Zdarzenie",
        "revisions": "Wersje", "number": "Nr", "date": "Data (UTC)", "author": "Autor", "message": "Opis",
        "audit_head": "Ostatni wpis łańcucha audytu", "how_to_verify": "Jak zweryfikować",
        "verify": "Prześlij ten plik na stronie {verify_url} lub uruchom `{command}`",
        "signatories": "Sygnatariusze i kto ich zaprosił",
        "joined_invitation": "zaproszenie od: {inviter}, {invited_at}; przyjęte {joined_at}",
        "joined_creator": "utworzył(a) umowę {joined_at}",
        "joined_unrecorded": "członek od {joined_at}; brak zapisu zaproszenia",
    },
    "he": {
        "between": "בין", "and": "לבין", "revision": "גרסה", "revision_hash": "SHA-256",
        "contents": "תוכן העניינים",
        "update_contents": "כדי לראות את תוכן העניינים יש לעדכן שדה זה: ב-Word לחצו כאן לחיצה ימנית ובחרו "
                           "\"עדכן שדה\" (F9); ב-LibreOffice בחרו כלים > עדכון > עדכן הכול.",
        "page": "עמוד", "of": "מתוך",
        "signature_page": "עמוד החתימות", "certificate": "תעודת השלמה",
        "provider": "הספק", "client": "הלקוח",
        "name": "שם", "job_title": "תפקיד", "email": "דואר אלקטרוני", "signed_at": "מועד החתימה",
        "ip": "כתובת IP", "signed_revision": "הגרסה שנחתמה", "signed_hash": "SHA-256 שנחתם",
        "signed_electronically": "נחתם באופן אלקטרוני", "consent": "הסכמה לחתימה אלקטרונית",
        "void": "בטל", "void_reason": "נחתמה גרסה קודמת",
        "executed_hash": "SHA-256 של הנוסח שנחתם", "executed_at": "מועד ההשלמה",
        "events": "אירועים", "time": "שעה (UTC)", "person": "אדם", "event": "אירוע",
        "revisions": "גרסאות", "number": "מס׳", "date": "תאריך (UTC)", "author": "מחבר", "message": "הודעה",
        "audit_head": "ראש שרשרת הביקורת", "how_to_verify": "כיצד לאמת",
        "verify": "העלו קובץ זה בכתובת {verify_url} או הריצו `{command}`",
        "signatories": "החותמים ומי הזמין אותם",
        "joined_invitation": "הוזמן/ה על ידי {inviter} ב-{invited_at}; קיבל/ה את ההזמנה ב-{joined_at}",
        "joined_creator": "יצר/ה את ההסכם ב-{joined_at}",
        "joined_unrecorded": "חבר/ה מאז {joined_at}; אין רישום של הזמנה",
    },
    "ru": {
        "between": "между", "and": "и", "revision": "Редакция", "revision_hash": "SHA-256",
        "contents": "Содержание",
        "update_contents": "Чтобы увидеть содержание, обновите это поле: в Word щёлкните здесь правой кнопкой "
                           "мыши и выберите «Обновить поле» (F9); в LibreOffice выберите Сервис > Обновить > "
                           "Обновить всё.",
        "page": "Страница", "of": "из",
        "signature_page": "Страница подписей", "certificate": "Сертификат о заключении",
        "provider": "Исполнитель", "client": "Заказчик",
        "name": "Имя", "job_title": "Должность", "email": "Эл. почта", "signed_at": "Подписано",
        "ip": "IP-адрес", "signed_revision": "Подписанная редакция", "signed_hash": "Подписанный SHA-256",
        "signed_electronically": "Подписано электронно", "consent": "Согласие на электронную подпись",
        "void": "НЕДЕЙСТВИТЕЛЬНА", "void_reason": "подписана более ранняя редакция",
        "executed_hash": "SHA-256 подписанного текста", "executed_at": "Дата заключения",
        "events": "События", "time": "Время (UTC)", "person": "Лицо", "event": "Событие",
        "revisions": "Редакции", "number": "№", "date": "Дата (UTC)", "author": "Автор", "message": "Комментарий",
        "audit_head": "Вершина цепочки аудита", "how_to_verify": "Как проверить",
        "verify": "Загрузите этот файл на {verify_url} или выполните `{command}`",
        "signatories": "Подписанты и кто их пригласил",
        "joined_invitation": "приглашение от {inviter}, {invited_at}; принято {joined_at}",
        "joined_creator": "создал(а) соглашение {joined_at}",
        "joined_unrecorded": "участник с {joined_at}; приглашение не записано",
    },
    "tl": {
        "between": "sa pagitan ng", "and": "at", "revision": "Rebisyon", "revision_hash": "SHA-256",
        "contents": "Nilalaman",
        "update_contents": "Para makita ang nilalaman, i-update ang field na ito: sa Word, i-right-click dito at "
                           "piliin ang Update Field (F9); sa LibreOffice, piliin ang Tools > Update > Update All.",
        "page": "Pahina", "of": "ng",
        "signature_page": "Pahina ng mga lagda", "certificate": "Sertipiko ng pagkumpleto",
        "provider": "Provider", "client": "Kliyente",
        "name": "Pangalan", "job_title": "Posisyon", "email": "E-mail", "signed_at": "Nilagdaan noong",
        "ip": "IP address", "signed_revision": "Nilagdaang rebisyon", "signed_hash": "Nilagdaang SHA-256",
        "signed_electronically": "Nilagdaan sa elektronikong paraan",
        "consent": "Pahintulot sa elektronikong paglagda",
        "void": "WALANG BISA", "void_reason": "lumagda sa naunang rebisyon",
        "executed_hash": "SHA-256 ng nilagdaang teksto", "executed_at": "Naisakatuparan noong",
        "events": "Mga pangyayari", "time": "Oras (UTC)", "person": "Tao", "event": "Pangyayari",
        "revisions": "Mga rebisyon", "number": "Blg.", "date": "Petsa (UTC)", "author": "May-akda",
        "message": "Mensahe", "audit_head": "Ulo ng audit chain", "how_to_verify": "Paano i-verify",
        "verify": "I-upload ang file na ito sa {verify_url} o patakbuhin ang `{command}`",
    },
}


def labels_for(language: str) -> dict[str, str]:
    """The labels in `language`, English for any label (or language) not translated."""
    return {**LABELS["en"], **LABELS.get(language, {})}


def utc_text(when: datetime) -> str:
    """'2025-03-01 14:05:09 UTC'; a naive datetime is taken to be UTC already, as the records say."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")
