import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from groundswell.core.readercache import ReaderCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
application = ReaderCache(get_wsgi_application(), seconds=settings.READER_CACHE_SECONDS)
