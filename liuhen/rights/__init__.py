"""当事人的权利 before a penalty decision (行政处罚法 44-45, 63-65): the prior notice, the waiting period,
statements and defences answered, the hearing requested in time and held on notice, and no heavier
penalty because of the defence."""
