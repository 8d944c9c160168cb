"""档案利用: retrieval of archived case files (调用单), a party's consultation and copies, confidentiality
classes of the items, expiring grants and watermarked copies (LW-D 15, BX 12, LC 33-34, AS 15)."""
