"""重大执法决定法制审核 (LW-L; 行政处罚法 58): what is major, the submission, the review point by point on
a working-day clock, disagreement and collective discussion, and the gate no major decision passes
without a passed review."""
