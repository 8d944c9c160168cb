"""归档 (issue 19): the archival package of a case (BagIt, DA/T 46/63/54 metadata, ledger proofs) and
its 四性检测 (DA/T 70), checked offline by liuhen.archive.core.check."""
