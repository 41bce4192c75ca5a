"""The API's one paginator: pages of PAGE_SIZE rows, at most EDC_API_MAX_PAGE_SIZE on request."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.EDC_API_MAX_PAGE_SIZE
