"""留痕 Liuhen — administrative law-enforcement whole-process recording system."""
