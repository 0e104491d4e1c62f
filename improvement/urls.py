"""Web routes of the improvement loop; each part keeps its own (``<part>/urls.py``)."""

from .actions.urls import urlpatterns as actions
from .commentary.urls import urlpatterns as commentary
from .evidence.urls import urlpatterns as evidence
from .loop.urls import urlpatterns as loop
from .milestones.urls import urlpatterns as milestones

app_name = "improvement"
urlpatterns = [*actions, *evidence, *milestones, *commentary, *loop]
