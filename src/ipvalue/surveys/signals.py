"""Signals other apps listen to (the knowledge base turns submitted answers into proposed records)."""

from django.dispatch import Signal

#: Sent once a response is submitted and locked, with ``response``.
response_submitted = Signal()
