from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("new/", views.new_case, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/parties/add/", views.add_party, name="add_party"),
    path("<int:pk>/officers/add/", views.add_officer, name="add_officer"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/send-back/", views.send_back, name="send_back"),
    path("<int:pk>/close-at-start/", views.close_at_start, name="close_at_start"),
    path("<int:pk>/parties/<int:party_pk>/reveal/", views.reveal_party, name="reveal_party"),
    path("<int:pk>/parties/<int:party_pk>/correct/", views.correct_party, name="correct_party"),
]
