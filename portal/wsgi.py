import os

from django.core.wsgi import get_wsgi_application

from portal.frame_stack import on_fresh_stack

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

application = on_fresh_stack(get_wsgi_application())
