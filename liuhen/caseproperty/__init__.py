"""涉案财物 (LQ 13(四); 行政强制法 24-28): the lists of seized, preserved and confiscated property, their
custody, and their handling (return, auction, destruction, hand-over) with approvals and records."""
