"""送达 (service of documents; 行政处罚法 61, 民事诉讼法 85-95 by reference; BX 10, LC 23-30): every lawful
way to serve a document, each counting as served only with its proof."""
