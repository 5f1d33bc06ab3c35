"""Which gateway implementation a setting names: the demo gateway, or Stripe.

Apart from integrations/payments.py (the interface both implement), so the interface never
imports an implementation. Stripe's SDK is imported only when Stripe is chosen: a demo
install never loads it.
"""

from microgigs.integrations.payments import DemoGateway, PaymentGateway


def get_gateway(name: str) -> PaymentGateway:
    if name == "demo":
        return DemoGateway()
    if name == "stripe":
        from microgigs.integrations.stripe_gateway import StripeGateway

        return StripeGateway.from_settings()
    raise ValueError(f"Unknown payment gateway {name!r}; MicroGigs knows: demo, stripe.")
