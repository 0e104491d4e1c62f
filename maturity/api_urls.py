from rest_framework.routers import DefaultRouter

from .api import FrameworkViewSet

router = DefaultRouter()
router.register("frameworks", FrameworkViewSet, basename="framework")
urlpatterns = router.urls
