"""The documents app's rows: 文号 sequences and issued (sealed) documents (issue 16)."""
