"""Builders for tests, the demo and the benchmarks: a world of people in every role, cases taken
through their stages the real way (through the services), and the tamper tools of the ledger tests.
Test modules import from here, never from one another."""
