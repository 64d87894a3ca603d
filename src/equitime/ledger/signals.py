"""What the ledger tells the layers above it, as it happens.

A correction of the books (an adjustment, or a reversal) is sent once, the
first time its key is recorded, never on a replay of the key, and inside the
transaction that wrote it: a receiver's writes (the audit log's entry) commit
or roll back with the movement itself. The ledger imports nothing above it;
whoever must know connects here (``audit.receivers``).

    adjustment_recorded(sender=Transfer, adjustment, debit_account, credit_account,
                        initiated_by, memo)
    transfer_reversed(sender=Transfer, transfer, reversal, initiated_by, memo)
    donation_made(sender=Transfer, donation, donor, recipient)

A donation is announced the same way, once, inside its transaction: the
notifications app tells its recipient (``notifications.receivers``), and a
donation refused or rolled back tells nobody.
"""

from django.dispatch import Signal

# A posted transfer of kind ``adjustment``, made by hand (staff fixing the books).
adjustment_recorded = Signal()

# A posted transfer undone by a new one the other way (``transfer`` is the
# one undone, as the caller gave it; ``reversal`` is the new row).
transfer_reversed = Signal()

# A posted transfer of kind ``donation``: ``donor`` gave it, ``recipient`` (a
# member) received it, or None when it went to the community pool.
donation_made = Signal()
