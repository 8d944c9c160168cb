"""执法监督: the findings engine's tables (finding_models.py) and the to-do lists' notices
(notice_models.py), kept in two files because two engineers build them side by side."""
from .finding_models import *  # noqa: F401,F403
from .notice_models import *  # noqa: F401,F403
