"""API routes of the improvement loop (``/api/v1/``); each part keeps its own."""

from .actions.api_urls import urlpatterns as actions
from .commentary.api_urls import urlpatterns as commentary
from .evidence.api_urls import urlpatterns as evidence
from .loop.api_urls import urlpatterns as loop
from .milestones.api_urls import urlpatterns as milestones

urlpatterns = [*actions, *evidence, *milestones, *commentary, *loop]
