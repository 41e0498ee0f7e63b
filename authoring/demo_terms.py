"""Interview answers for the demo agreements: every step filled, in English and in Spanish."""
from __future__ import annotations

from typing import Any


def _contact(name: str, role: str, email: str, phone: str) -> dict[str, str]:
    return {"name": name, "role": role, "email": email, "phone": phone}


def demo_terms(language: str, title: str) -> dict[str, Any]:
    """A complete, healthy set of terms; Spanish texts where the agreement is in Spanish."""
    es = language == "es"
    words = (lambda en, sp: sp if es else en)
    return {
        "agreement": {"title": title, "language": language},
        "parties": {
            "provider": {
                "name": "Northwind IT Services Ltd." if not es else "Northwind Servicios TI, S.L.",
                "address": "1 Harbour Street, 80-001 Gdańsk, Poland" if not es else "Calle del Puerto 1, 08039 Barcelona, España",
                "registration": "KRS 0000123456" if not es else "CIF B-12345678",
                "signatory_name": "Maria Santos", "signatory_title": words("Managing Director", "Directora General"),
                "contacts": {
                    "negotiation": _contact("Maria Santos", words("Account manager", "Gestora de cuenta"), "provider@example.com", "+48 58 123 45 67"),
                    "delivery": _contact("Tomasz Wiśniewski", words("Service manager", "Responsable de servicio"), "service@northwind.example", "+48 58 123 45 68"),
                    "billing": _contact("Ewa Zielińska", words("Finance", "Finanzas"), "billing@northwind.example", "+48 58 123 45 69"),
                    "escalation": _contact("Maria Santos", words("Managing Director", "Directora General"), "provider@example.com", "+48 600 100 200"),
                },
            },
            "client": {
                "name": "Globex Logistics S.A." if not es else "Globex Logística, S.A.",
                "address": "ul. Piotrkowska 100, 90-001 Łódź, Poland" if not es else "Avenida de América 10, 28028 Madrid, España",
                "registration": "KRS 0000654321" if not es else "CIF A-87654321",
                "signatory_name": "Olga Ivanova", "signatory_title": words("Chief Operating Officer", "Directora de Operaciones"),
                "contacts": {
                    "negotiation": _contact("Jan Kowalski", words("IT lead", "Responsable de TI"), "client@example.com", "+48 42 555 01 01"),
                    "delivery": _contact("Jan Kowalski", words("IT lead", "Responsable de TI"), "client@example.com", "+48 42 555 01 01"),
                    "billing": _contact("Ana García", words("Accounts payable", "Cuentas a pagar"), "ap@globex.example", "+48 42 555 01 02"),
                    "escalation": _contact("Olga Ivanova", words("Chief Operating Officer", "Directora de Operaciones"), "signer@example.com", "+48 42 555 01 03"),
                },
            },
        },
        "background": {
            "objectives": words("Keep the warehouse management and tracking systems running around the clock, and cut unplanned downtime by half within a year.",
                                "Mantener los sistemas de gestión de almacenes y de seguimiento en funcionamiento las 24 horas y reducir a la mitad las paradas no planificadas en un año."),
            "context": words("The client's in-house team of three cannot cover nights and weekends; two outages last winter delayed 4,000 shipments.",
                             "El equipo interno del Cliente, de tres personas, no puede cubrir noches ni fines de semana; dos caídas el invierno pasado retrasaron 4.000 envíos."),
            "budget_ceiling": "110000.00",
            "hard_dates": words("Monitoring must be live before the peak season starts on 1 October 2027.",
                                "La monitorización debe estar operativa antes del inicio de la temporada alta, el 1 de octubre de 2027."),
            "third_parties": words("The client's own customers, who track their shipments online.",
                                   "Los propios clientes del Cliente, que siguen sus envíos en línea."),
        },
        "services": {
            "catalogue": [
                {"code": "SD", "name": words("Service desk", "Centro de servicio"), "description": words("First-line support by phone, e-mail and portal", "Soporte de primer nivel por teléfono, correo y portal"), "unit": words("month", "mes"), "included_quantity": "1"},
                {"code": "MON", "name": words("Monitoring", "Monitorización"), "description": words("24/7 monitoring of servers and network", "Monitorización 24/7 de servidores y red"), "unit": words("device", "dispositivo"), "included_quantity": "40"},
                {"code": "ONS", "name": words("On-site visits", "Visitas in situ"), "description": words("Engineer on site in Łódź", "Técnico in situ"), "unit": words("hour", "hora"), "included_quantity": "8"},
            ],
            "in_scope": [words("Servers", "Servidores"), words("Network", "Red"), words("Workstations", "Puestos de trabajo"), words("Warehouse scanners", "Escáneres del almacén")],
            "out_of_scope": [words("Software development", "Desarrollo de software"), words("Hardware purchases", "Compra de hardware")],
            "standards": words("ITIL 4 practices and ISO/IEC 20000-1; changes follow the client's change calendar.",
                               "Prácticas ITIL 4 e ISO/IEC 20000-1; los cambios siguen el calendario de cambios del Cliente."),
            "availability_percent": "99.5",
            "measurement_window": "monthly",
            "support_hours": words("24 hours a day, 7 days a week", "24 horas al día, 7 días a la semana"),
            "time_zone": "Europe/Warsaw",
            "priorities": [
                {"level": "P1", "definition": words("A critical service is down for all users", "Un servicio crítico no funciona para ningún usuario"), "response_hours": "0.5", "resolution_hours": "4"},
                {"level": "P2", "definition": words("A critical service is degraded", "Un servicio crítico funciona de forma degradada"), "response_hours": "1", "resolution_hours": "8"},
                {"level": "P3", "definition": words("A single user or non-critical service is affected", "Afecta a un usuario o a un servicio no crítico"), "response_hours": "4", "resolution_hours": "24"},
                {"level": "P4", "definition": words("A question or a planned request", "Una consulta o una solicitud planificada"), "response_hours": "8", "resolution_hours": "80"},
            ],
        },
        "timeline": {
            "effective_date": "2027-01-01", "end_date": "2028-12-31", "auto_renew": True,
            "renewal_term_months": 12, "renewal_notice_days": 90,
            "milestones": [
                {"name": words("Onboarding", "Incorporación"), "deliverable": words("Runbook and asset inventory", "Manual de operaciones e inventario"), "due_date": "2027-02-15", "acceptance_days": 5, "accepted_by": "client"},
                {"name": words("Monitoring live", "Monitorización operativa"), "deliverable": words("All 40 devices monitored", "Los 40 dispositivos monitorizados"), "due_date": "2027-03-31", "acceptance_days": 5, "accepted_by": "client"},
            ],
        },
        "costs": {
            "currency": "EUR", "pricing_model": "retainer", "contract_value": "96000.00", "monthly_fee": "4000.00",
            "rates": [
                {"code": "ENG", "description": words("Engineer", "Técnico"), "unit": words("hour", "hora"), "price": "85.00", "out_of_hours_multiplier": "1.5"},
                {"code": "ARC", "description": words("Architect", "Arquitecto"), "unit": words("hour", "hora"), "price": "120.00", "out_of_hours_multiplier": "1.5"},
            ],
            "payment_schedule": [
                {"label": words("Deposit", "Anticipo"), "percent": "50", "amount": None, "trigger": "signing", "milestone": None, "date": None},
                {"label": words("Balance", "Saldo"), "percent": "50", "amount": None, "trigger": "milestone", "milestone": words("Monitoring live", "Monitorización operativa"), "date": None},
            ],
            "invoicing": "per_schedule", "payment_due_days": 30, "late_interest_percent": "8",
            "expenses": "preapproved", "prepaid_hours": "20",
        },
        "client": {
            "feedback_days": 2, "access_date": "2027-01-10", "point_of_contact": "Jan Kowalski",
            "sme_hours_per_week": 4, "stakeholder_notice_days": 5,
            "custom": [words("Keep the server room between 18 and 24 °C", "Mantener la sala de servidores entre 18 y 24 °C")],
        },
        "escalation": {
            "levels": [
                {"name": words("Level 1", "Nivel 1"), "trigger": words("A P1 incident is not restored within target", "Una incidencia P1 no se restablece en plazo"), "provider_contact": words("Service manager", "Responsable de servicio"), "client_contact": words("IT lead", "Responsable de TI"), "response_hours": "2"},
                {"name": words("Level 2", "Nivel 2"), "trigger": words("Level 1 does not agree a plan within a day", "El nivel 1 no acuerda un plan en un día"), "provider_contact": words("Managing Director", "Directora General"), "client_contact": words("Chief Operating Officer", "Directora de Operaciones"), "response_hours": "24"},
            ],
            "negotiation_days": 15, "mediation": True, "final_forum": "arbitration",
            "arbitration_rules": words("the Rules of the Court of Arbitration at the Polish Chamber of Commerce", "el Reglamento de la Corte de Arbitraje de Madrid"),
            "governing_law": words("the laws of Poland", "la legislación española"),
            "venue": words("Warsaw", "Madrid"),
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
            "reporting": words("availability, incidents by priority, response and resolution times against target, and open risks",
                               "disponibilidad, incidencias por prioridad, tiempos de respuesta y de resolución frente al objetivo y riesgos abiertos"),
            "report_frequency": "monthly", "renewal_lead_days": 30,
        },
        "general": {"confidentiality_years": 3},
    }
