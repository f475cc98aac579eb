app_name = "renewal"
urlpatterns = []
