"""The archival package's layout and its offline checker: no Django, no database (shipped alone,
like liuhen.ledger.core, so an archives bureau can check a package with no server)."""
