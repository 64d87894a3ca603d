"""What the exchanges app announces to the apps above it.

``exchange_closed`` is sent inside the transaction of a transition that ends
an exchange before any time was given: it was declined, cancelled, or closed
without credits (voided). Apps above (scheduling, whose session of the
exchange must be cancelled with it) receive it without exchanges knowing
them. Arguments: ``exchange`` (saved, in its new status), ``actor`` (the
member who closed it, or None for the system), ``reason`` (what they said,
possibly empty).
"""

from django.dispatch import Signal

exchange_closed = Signal()
