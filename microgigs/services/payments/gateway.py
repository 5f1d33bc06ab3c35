"""Which payment gateway moves the money (settings.payment_gateway).

Every caller looks the gateway up through this module (`gateway.current_gateway()`), so a
test that swaps it patches `current_gateway` here, once, for the whole package.
"""

from microgigs.integrations.gateways import get_gateway
from microgigs.integrations.payments import PaymentGateway
from microgigs.settings import get_settings


def current_gateway() -> PaymentGateway:
    return get_gateway(get_settings().payment_gateway)
