"""Webhooks: an agreement's events sent to the systems of each side (CRM, ERP, ticketing).

An owner of either side registers endpoints for their own side on the agreement's Webhooks
page and chooses the events (events.py). When an event happens, `audit.record` (and the
daily `remind` for reviews due and renewal windows) writes one `WebhookDelivery` per
subscribed endpoint in the same transaction as the event: an outbox, so a delivery exists
exactly when its event does. `flask outbox send` posts them (delivery.py), signed with the
endpoint's secret (signatures.py), and retries failures with backoff. Endpoint addresses
are checked against server-side request forgery (addresses.py).

Only the events listed in events.py ever leave, with data both sides already see on
their pages; the rest of the audit log (sign-in attempts, invitations, this page's own
changes) never does, and a test event goes only to the endpoint it was asked for.
"""
