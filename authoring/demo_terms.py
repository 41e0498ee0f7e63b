"""Interview answers for the demo agreements: every step filled, in each of the six languages."""
from __future__ import annotations

import copy
from typing import Any

from .operations.support_hours import AROUND_THE_CLOCK

LANGUAGE_COLUMNS = ("en", "es", "pl", "he", "ru", "tl")
# The demo's texts: (en, es, pl, he, ru, tl), written as a party in each country would.
TEXTS: dict[str, tuple[str, str, str, str, str, str]] = {
    "provider_name": ("Northwind IT Services Ltd.", "Northwind Servicios TI, S.L.", "Northwind Usługi IT sp. z o.o.",
                      "נורת'ווינד שירותי מחשוב בע\"מ", "ООО «Нортвинд ИТ-Сервис»", "Northwind IT Services, Inc."),
    "provider_address": ("1 Harbour Street, 80-001 Gdańsk, Poland", "Calle del Puerto 1, 08039 Barcelona, España",
                         "ul. Portowa 1, 80-001 Gdańsk", "רחוב הנמל 1, חיפה 3303101", "ул. Портовая, д. 1, Санкт-Петербург, 199106",
                         "1 Daungan St., Pier 4, Maynila 1012"),
    "provider_registration": ("KRS 0000123456", "CIF B-12345678", "KRS 0000123456", "ח.פ. 514567890",
                              "ОГРН 1027800000001", "SEC CS201912345"),
    "client_name": ("Globex Logistics S.A.", "Globex Logística, S.A.", "Globex Logistyka S.A.", "גלובקס לוגיסטיקה בע\"מ",
                    "АО «Глобекс Логистика»", "Globex Logistics Corporation"),
    "client_address": ("ul. Piotrkowska 100, 90-001 Łódź, Poland", "Avenida de América 10, 28028 Madrid, España",
                       "ul. Piotrkowska 100, 90-001 Łódź", "דרך מנחם בגין 100, תל אביב-יפו 6701101",
                       "Ленинградский пр-т, д. 10, Москва, 125040", "100 Abenida Ayala, Makati 1226"),
    "client_registration": ("KRS 0000654321", "CIF A-87654321", "KRS 0000654321", "ח.פ. 520012345",
                            "ОГРН 1027700000002", "SEC CS201954321"),
    "managing_director": ("Managing Director", "Directora General", "Prezes Zarządu", "מנכ\"לית", "Генеральный директор",
                          "Punong Tagapamahala"),
    "account_manager": ("Account manager", "Gestora de cuenta", "Opiekunka klienta", "מנהלת תיק לקוח", "Менеджер по работе с клиентами",
                        "Tagapamahala ng account"),
    "service_manager": ("Service manager", "Responsable de servicio", "Kierownik usług", "מנהל השירות", "Руководитель службы сервиса",
                        "Tagapamahala ng serbisyo"),
    "finance": ("Finance", "Finanzas", "Dział finansowy", "כספים", "Финансовый отдел", "Pananalapi"),
    "coo": ("Chief Operating Officer", "Directora de Operaciones", "Dyrektor operacyjna", "סמנכ\"לית תפעול",
            "Операционный директор", "Punong Opisyal ng Operasyon"),
    "it_lead": ("IT lead", "Responsable de TI", "Kierownik IT", "ראש צוות מערכות מידע", "Руководитель ИТ", "Pinuno ng IT"),
    "accounts_payable": ("Accounts payable", "Cuentas a pagar", "Rozliczenia z dostawcami", "תשלומים לספקים",
                         "Расчёты с поставщиками", "Mga babayaran"),
    "objectives": (
        "Keep the warehouse management and tracking systems running around the clock, and cut unplanned downtime by half within a year.",
        "Mantener los sistemas de gestión de almacenes y de seguimiento en funcionamiento las 24 horas y reducir a la mitad las paradas no planificadas en un año.",
        "Zapewnienie całodobowej pracy systemów zarządzania magazynem i śledzenia przesyłek oraz zmniejszenie o połowę nieplanowanych przestojów w ciągu roku.",
        "להבטיח שמערכות ניהול המחסנים והמעקב יפעלו מסביב לשעון, ולהפחית בחצי את זמני ההשבתה הבלתי מתוכננים בתוך שנה.",
        "Обеспечить круглосуточную работу систем управления складом и отслеживания грузов и за год вдвое сократить незапланированные простои.",
        "Panatilihing tumatakbo araw at gabi ang mga sistema ng pamamahala ng bodega at pagsubaybay, at bawasan nang kalahati ang di-planadong pagkaantala sa loob ng isang taon."),
    "context": (
        "The client's in-house team of three cannot cover nights and weekends; two outages last winter delayed 4,000 shipments.",
        "El equipo interno del Cliente, de tres personas, no puede cubrir noches ni fines de semana; dos caídas el invierno pasado retrasaron 4.000 envíos.",
        "Trzyosobowy zespół wewnętrzny Klienta nie jest w stanie pokryć nocy i weekendów; dwie awarie zeszłej zimy opóźniły 4000 przesyłek.",
        "הצוות הפנימי של הלקוח, שלושה אנשים, אינו יכול לכסות לילות וסופי שבוע; שתי תקלות בחורף שעבר עיכבו 4,000 משלוחים.",
        "Внутренняя команда Заказчика из трёх человек не может обеспечить работу ночью и в выходные; два сбоя прошлой зимой задержали 4000 отправлений.",
        "Hindi kayang sakupin ng tatlong-kataong koponan ng Kliyente ang gabi at katapusan ng linggo; dalawang pagkawala ng serbisyo noong nakaraang taglamig ang nakaantala sa 4,000 padala."),
    "hard_dates": (
        "Monitoring must be live before the peak season starts on 1 October 2027.",
        "La monitorización debe estar operativa antes del inicio de la temporada alta, el 1 de octubre de 2027.",
        "Monitoring musi działać przed rozpoczęciem szczytu sezonu 1 października 2027 r.",
        "הניטור חייב לפעול לפני תחילת העונה העמוסה ב-1 באוקטובר 2027.",
        "Мониторинг должен заработать до начала высокого сезона 1 октября 2027 г.",
        "Dapat gumagana na ang pagsubaybay bago magsimula ang peak season sa Oktubre 1, 2027."),
    "third_parties": (
        "The client's own customers, who track their shipments online.",
        "Los propios clientes del Cliente, que siguen sus envíos en línea.",
        "Klienci Klienta, którzy śledzą swoje przesyłki online.",
        "לקוחותיו של הלקוח, העוקבים אחר משלוחיהם באינטרנט.",
        "Собственные клиенты Заказчика, которые отслеживают свои отправления онлайн.",
        "Ang sariling mga kustomer ng Kliyente na sumusubaybay sa kanilang mga padala online."),
    "service_desk": ("Service desk", "Centro de servicio", "Service desk", "מוקד שירות", "Служба поддержки", "Service desk"),
    "service_desk_description": ("First-line support by phone, e-mail and portal", "Soporte de primer nivel por teléfono, correo y portal",
                                 "Wsparcie pierwszej linii telefonicznie, e-mailowo i przez portal", "תמיכה בקו ראשון בטלפון, בדואר אלקטרוני ובפורטל",
                                 "Поддержка первой линии по телефону, электронной почте и через портал",
                                 "Unang antas ng suporta sa telepono, e-mail at portal"),
    "month": ("month", "mes", "miesiąc", "חודש", "месяц", "buwan"),
    "monitoring": ("Monitoring", "Monitorización", "Monitoring", "ניטור", "Мониторинг", "Pagsubaybay"),
    "monitoring_description": ("24/7 monitoring of servers and network", "Monitorización 24/7 de servidores y red",
                               "Monitoring serwerów i sieci 24/7", "ניטור שרתים ורשת 24/7", "Мониторинг серверов и сети 24/7",
                               "24/7 na pagsubaybay sa mga server at network"),
    "device": ("device", "dispositivo", "urządzenie", "התקן", "устройство", "device"),
    "on_site": ("On-site visits", "Visitas in situ", "Wizyty na miejscu", "ביקורים באתר", "Выезды на объект", "Pagbisita sa lugar"),
    "on_site_description": ("Engineer on site in Łódź", "Técnico in situ", "Inżynier na miejscu w Łodzi", "טכנאי באתר הלקוח",
                            "Выезд инженера на объект", "Inhinyero sa lugar ng Kliyente"),
    "hour": ("hour", "hora", "godzina", "שעה", "час", "oras"),
    "servers": ("Servers", "Servidores", "Serwery", "שרתים", "Серверы", "Mga server"),
    "network": ("Network", "Red", "Sieć", "רשת", "Сеть", "Network"),
    "workstations": ("Workstations", "Puestos de trabajo", "Stacje robocze", "עמדות עבודה", "Рабочие станции", "Mga workstation"),
    "scanners": ("Warehouse scanners", "Escáneres del almacén", "Skanery magazynowe", "סורקי מחסן", "Складские сканеры",
                 "Mga scanner ng bodega"),
    "software_development": ("Software development", "Desarrollo de software", "Tworzenie oprogramowania", "פיתוח תוכנה",
                             "Разработка программного обеспечения", "Pagbuo ng software"),
    "hardware_purchases": ("Hardware purchases", "Compra de hardware", "Zakup sprzętu", "רכש חומרה", "Закупка оборудования",
                           "Pagbili ng hardware"),
    "standards": (
        "ITIL 4 practices and ISO/IEC 20000-1; changes follow the client's change calendar.",
        "Prácticas ITIL 4 e ISO/IEC 20000-1; los cambios siguen el calendario de cambios del Cliente.",
        "Praktyki ITIL 4 i ISO/IEC 20000-1; zmiany są wprowadzane zgodnie z kalendarzem zmian Klienta.",
        "נוהלי ITIL 4 ותקן ISO/IEC 20000-1; שינויים מבוצעים לפי לוח השינויים של הלקוח.",
        "Практики ITIL 4 и ISO/IEC 20000-1; изменения вносятся по календарю изменений Заказчика.",
        "Mga kasanayan ng ITIL 4 at ISO/IEC 20000-1; sinusunod ng mga pagbabago ang kalendaryo ng pagbabago ng Kliyente."),
    "p1": ("A critical service is down for all users", "Un servicio crítico no funciona para ningún usuario",
           "Usługa krytyczna nie działa dla żadnego użytkownika", "שירות קריטי מושבת לכל המשתמשים",
           "Критически важная услуга недоступна для всех пользователей",
           "Hindi gumagana para sa lahat ng gumagamit ang isang kritikal na serbisyo"),
    "p2": ("A critical service is degraded", "Un servicio crítico funciona de forma degradada", "Usługa krytyczna działa w ograniczonym zakresie",
           "שירות קריטי פועל באופן חלקי", "Критически важная услуга работает с ухудшением", "Humina ang isang kritikal na serbisyo"),
    "p3": ("A single user or non-critical service is affected", "Afecta a un usuario o a un servicio no crítico",
           "Problem dotyczy jednego użytkownika lub usługi niekrytycznej", "התקלה פוגעת במשתמש יחיד או בשירות שאינו קריטי",
           "Затронут один пользователь или некритичная услуга", "Apektado ang iisang gumagamit o isang hindi kritikal na serbisyo"),
    "p4": ("A question or a planned request", "Una consulta o una solicitud planificada", "Pytanie lub zaplanowane zlecenie",
           "שאלה או בקשה מתוכננת", "Вопрос или плановый запрос", "Isang tanong o nakaplanong kahilingan"),
    "onboarding": ("Onboarding", "Incorporación", "Wdrożenie", "קליטה", "Подключение", "Onboarding"),
    "runbook": ("Runbook and asset inventory", "Manual de operaciones e inventario", "Instrukcja operacyjna i inwentaryzacja zasobów",
                "מדריך תפעול ומצאי נכסים", "Регламент эксплуатации и опись активов", "Runbook at imbentaryo ng mga asset"),
    "monitoring_live": ("Monitoring live", "Monitorización operativa", "Uruchomienie monitoringu", "הפעלת הניטור", "Запуск мониторинга",
                        "Gumagana na ang pagsubaybay"),
    "all_devices": ("All 40 devices monitored", "Los 40 dispositivos monitorizados", "Monitoring wszystkich 40 urządzeń",
                    "ניטור כל 40 ההתקנים", "Мониторинг всех 40 устройств", "Sinusubaybayan ang lahat ng 40 device"),
    "engineer": ("Engineer", "Técnico", "Inżynier", "מהנדס", "Инженер", "Inhinyero"),
    "architect": ("Architect", "Arquitecto", "Architekt", "ארכיטקט", "Архитектор", "Arkitekto"),
    "deposit": ("Deposit", "Anticipo", "Zaliczka", "מקדמה", "Аванс", "Paunang bayad"),
    "balance": ("Balance", "Saldo", "Pozostała kwota", "יתרה", "Остаток", "Balanse"),
    "server_room": ("Keep the server room between 18 and 24 °C", "Mantener la sala de servidores entre 18 y 24 °C",
                    "Utrzymywać temperaturę w serwerowni od 18 do 24 °C", "לשמור על חדר השרתים בטמפרטורה של 18 עד 24 °C",
                    "Поддерживать температуру в серверной от 18 до 24 °C", "Panatilihin ang silid ng server sa pagitan ng 18 at 24 °C"),
    "level_1": ("Level 1", "Nivel 1", "Poziom 1", "רמה 1", "Уровень 1", "Antas 1"),
    "level_1_trigger": ("A P1 incident is not restored within target", "Una incidencia P1 no se restablece en plazo",
                        "Incydent P1 nie został usunięty w docelowym czasie", "תקלת P1 לא תוקנה בזמן היעד",
                        "Инцидент P1 не устранён в целевой срок", "Hindi naibalik sa takdang oras ang isang P1 na insidente"),
    "level_2": ("Level 2", "Nivel 2", "Poziom 2", "רמה 2", "Уровень 2", "Antas 2"),
    "level_2_trigger": ("Level 1 does not agree a plan within a day", "El nivel 1 no acuerda un plan en un día",
                        "Poziom 1 nie uzgodnił planu w ciągu doby", "רמה 1 לא הסכימה על תוכנית בתוך יום",
                        "На уровне 1 план не согласован в течение суток", "Hindi nagkasundo sa plano ang Antas 1 sa loob ng isang araw"),
    "arbitration_rules": ("the Rules of the Court of Arbitration at the Polish Chamber of Commerce", "el Reglamento de la Corte de Arbitraje de Madrid",
                          "Regulamin Sądu Arbitrażowego przy Krajowej Izbie Gospodarczej", "כללי מוסד הבוררות של לשכת המסחר תל אביב והמרכז",
                          "Регламент Арбитражного центра при РСПП", "ang mga Tuntunin ng Philippine Dispute Resolution Center"),
    "governing_law": ("the laws of Poland", "la legislación española", "prawo polskie", "דיני מדינת ישראל",
                      "законодательство Российской Федерации", "ang mga batas ng Pilipinas"),
    "venue": ("Warsaw", "Madrid", "Warszawa", "תל אביב-יפו", "Москва", "Makati"),
    "reporting": (
        "availability, incidents by priority, response and resolution times against target, and open risks",
        "disponibilidad, incidencias por prioridad, tiempos de respuesta y de resolución frente al objetivo y riesgos abiertos",
        "dostępność, incydenty według priorytetu, czasy reakcji i rozwiązania na tle wartości docelowych oraz otwarte ryzyka",
        "זמינות, תקלות לפי עדיפות, זמני תגובה ופתרון מול היעד, וסיכונים פתוחים",
        "доступность, инциденты по приоритетам, время реакции и решения в сравнении с целевыми значениями и открытые риски",
        "ang pagiging available ng serbisyo, mga insidente ayon sa prayoridad, oras ng pagtugon at paglutas laban sa target, at mga bukas na panganib"),
}



# The executed demos' support: business hours in the provider's country, its public holidays closed, the
# highest priority around the clock (the others are around the clock).
BUSINESS_HOURS = {
    "en": ({"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00", "closes": "18:00", "holidays": "PL",
            "highest_priority_around_the_clock": True}, "Europe/Warsaw"),
    "he": ({"days": ["mon", "tue", "wed", "thu", "sun"], "opens": "08:00", "closes": "17:00", "holidays": "IL",
            "highest_priority_around_the_clock": True}, "Asia/Jerusalem"),
}


def _contact(name: str, role: str, email: str, phone: str) -> dict[str, str]:
    return {"name": name, "role": role, "email": email, "phone": phone}


def demo_terms(language: str, title: str) -> dict[str, Any]:
    """A complete, healthy set of terms, its texts in the agreement's language."""
    column = LANGUAGE_COLUMNS.index(language) if language in LANGUAGE_COLUMNS else 0

    def t(key: str) -> str:
        return TEXTS[key][column]

    return {
        "agreement": {"title": title, "language": language},
        "parties": {
            "provider": {
                "name": t("provider_name"),
                "address": t("provider_address"),
                "registration": t("provider_registration"),
                "signatory_name": "Maria Santos", "signatory_title": t("managing_director"),
                "contacts": {
                    "negotiation": _contact("Maria Santos", t("account_manager"), "provider@example.com", "+48 58 123 45 67"),
                    "delivery": _contact("Tomasz Wiśniewski", t("service_manager"), "service@northwind.example", "+48 58 123 45 68"),
                    "billing": _contact("Ewa Zielińska", t("finance"), "billing@northwind.example", "+48 58 123 45 69"),
                    "escalation": _contact("Maria Santos", t("managing_director"), "provider@example.com", "+48 600 100 200"),
                },
            },
            "client": {
                "name": t("client_name"),
                "address": t("client_address"),
                "registration": t("client_registration"),
                "signatory_name": "Olga Ivanova", "signatory_title": t("coo"),
                "contacts": {
                    "negotiation": _contact("Jan Kowalski", t("it_lead"), "client@example.com", "+48 42 555 01 01"),
                    "delivery": _contact("Jan Kowalski", t("it_lead"), "client@example.com", "+48 42 555 01 01"),
                    "billing": _contact("Ana García", t("accounts_payable"), "ap@globex.example", "+48 42 555 01 02"),
                    "escalation": _contact("Olga Ivanova", t("coo"), "signer@example.com", "+48 42 555 01 03"),
                },
            },
        },
        "background": {
            "objectives": t("objectives"),
            "context": t("context"),
            "budget_ceiling": "110000.00",
            "hard_dates": t("hard_dates"),
            "third_parties": t("third_parties"),
        },
        "services": {
            "catalogue": [
                {"code": "SD", "name": t("service_desk"), "description": t("service_desk_description"), "unit": t("month"), "included_quantity": "1"},
                {"code": "MON", "name": t("monitoring"), "description": t("monitoring_description"), "unit": t("device"), "included_quantity": "40"},
                {"code": "ONS", "name": t("on_site"), "description": t("on_site_description"), "unit": t("hour"), "included_quantity": "8"},
            ],
            "in_scope": [t("servers"), t("network"), t("workstations"), t("scanners")],
            "out_of_scope": [t("software_development"), t("hardware_purchases")],
            "standards": t("standards"),
            "availability_percent": "99.5",
            "measurement_window": "monthly",
            "support_hours": copy.deepcopy(AROUND_THE_CLOCK),
            "time_zone": "Europe/Warsaw",
            "priorities": [
                {"level": "P1", "definition": t("p1"), "response_hours": "0.5", "resolution_hours": "4"},
                {"level": "P2", "definition": t("p2"), "response_hours": "1", "resolution_hours": "8"},
                {"level": "P3", "definition": t("p3"), "response_hours": "4", "resolution_hours": "24"},
                {"level": "P4", "definition": t("p4"), "response_hours": "8", "resolution_hours": "80"},
            ],
        },
        "timeline": {
            "effective_date": "2027-01-01", "end_date": "2028-12-31", "auto_renew": True,
            "renewal_term_months": 12, "renewal_notice_days": 90,
            "milestones": [
                {"name": t("onboarding"), "deliverable": t("runbook"), "due_date": "2027-02-15", "acceptance_days": 5, "accepted_by": "client"},
                {"name": t("monitoring_live"), "deliverable": t("all_devices"), "due_date": "2027-03-31", "acceptance_days": 5, "accepted_by": "client"},
            ],
        },
        "costs": {
            "currency": "EUR", "pricing_model": "retainer", "contract_value": "96000.00", "monthly_fee": "4000.00",
            "rates": [
                {"code": "ENG", "description": t("engineer"), "unit": t("hour"), "price": "85.00", "out_of_hours_multiplier": "1.5"},
                {"code": "ARC", "description": t("architect"), "unit": t("hour"), "price": "120.00", "out_of_hours_multiplier": "1.5"},
            ],
            "payment_schedule": [
                {"label": t("deposit"), "percent": "50", "amount": None, "trigger": "signing", "milestone": None, "date": None},
                {"label": t("balance"), "percent": "50", "amount": None, "trigger": "milestone", "milestone": t("monitoring_live"), "date": None},
            ],
            "invoicing": "per_schedule", "payment_due_days": 30, "late_interest_percent": "8",
            "expenses": "preapproved", "prepaid_hours": "20",
        },
        "client": {
            "feedback_days": 2, "access_date": "2027-01-10", "point_of_contact": "Jan Kowalski",
            "sme_hours_per_week": 4, "stakeholder_notice_days": 5,
            "custom": [t("server_room")],
        },
        "escalation": {
            "levels": [
                {"name": t("level_1"), "trigger": t("level_1_trigger"), "provider_contact": t("service_manager"), "client_contact": t("it_lead"), "response_hours": "2"},
                {"name": t("level_2"), "trigger": t("level_2_trigger"), "provider_contact": t("managing_director"), "client_contact": t("coo"), "response_hours": "24"},
            ],
            "negotiation_days": 15, "mediation": True, "final_forum": "arbitration",
            "arbitration_rules": t("arbitration_rules"),
            "governing_law": t("governing_law"),
            "venue": t("venue"),
        },
        "sanctions": {
            "credits": [
                {"priority": "P1", "threshold_percent": "95", "credit_percent": "5", "no_credit": False},
                {"priority": "P2", "threshold_percent": "95", "credit_percent": "3", "no_credit": False},
                {"priority": "P3", "threshold_percent": "90", "credit_percent": "1", "no_credit": False},
                {"priority": "P4", "threshold_percent": None, "credit_percent": None, "no_credit": True},
            ],
            "credit_cap_percent": "15", "late_penalty_percent_per_week": "1", "late_penalty_cap_percent": "10",
            "cure_days": 30, "liability_cap_percent": "100", "termination_notice_days": 90,
        },
        "change": {
            "requesters": "either_party", "impact_days": 5, "amendment_threshold_percent": "20",
            "review_cadence": "quarterly",
            "reporting": t("reporting"),
            "report_frequency": "monthly", "renewal_lead_days": 30,
        },
        "general": {"confidentiality_years": 3},
    }
