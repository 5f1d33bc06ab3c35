"""Which gateway implementation a setting names: the demo gateway, or Stripe.

Apart from integrations/payments.py (the interface both implement), so the interface never
imports an implementation. Stripe's SDK is imported only when Stripe is chosen: a demo
install never loads it.
"""

from babel.numbers import list_currencies

from microgigs.integrations.payments import DemoGateway, PaymentGateway
from microgigs.integrations.stripe_units import stripe_refusal


def get_gateway(name: str) -> PaymentGateway:
    if name == "demo":
        return DemoGateway()
    if name == "stripe":
        from microgigs.integrations.stripe_gateway import StripeGateway

        return StripeGateway.from_settings()
    raise ValueError(f"Unknown payment gateway {name!r}; MicroGigs knows: demo, stripe.")


def gateway_supports(currency: str, name: str | None = None) -> str | None:
    """Why the gateway `name` (default: the configured one) cannot take money in `currency`
    (an ISO 4217 code), in words for the admin; None when it can. The demo gateway takes any
    ISO currency; Stripe refuses a few whose units it handles apart (integrations/stripe_units.py)."""
    if name is None:
        from microgigs.settings import get_settings

        name = get_settings().payment_gateway
    code = (currency or "").strip()
    if code.upper() not in list_currencies():
        return f"{currency!r} is not an ISO 4217 currency code."
    if name == "stripe":
        return stripe_refusal(code)
    return None
