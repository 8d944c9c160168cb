"""执行 (execution of decisions; 行政处罚法 66-73, 行政强制法 35-40, 53-54; LQ 13): payment and its
deadlines, deferral and instalments, the late fine, rectification, compulsory execution, and confiscated
property."""
