"""行政强制执行 (行政强制法 35-40, 53-54): the 催告书 with the party's statement and its review, the
enforcement decision with the leader's approval, the measures, the court application within its
window, suspension and termination."""
