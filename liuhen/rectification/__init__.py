"""责令改正 and its re-check (行政处罚法 28; BX 10, LC 23): the orders with their deadlines, the re-check at
the deadline with its record (and AV where the profile asks), repeated orders."""
