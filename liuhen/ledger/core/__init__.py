"""Pure-Python ledger core (no Django): canonical leaves and RFC 6962 hashing.

Kept free of Django so that the standalone verifier can be shipped to an auditor alone.
"""
