"""Equitime: a time bank for health and care improvement."""
