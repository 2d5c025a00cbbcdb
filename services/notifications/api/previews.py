"""`/v1/templates`, `/v1/preview/{template}`: the message templates, rendered with sample data (staff)."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView

from services.notifications import previews as use, templating
from services.notifications.api.common import STAFF, settings
from services.notifications.schemas.previews import Preview, PreviewQuery, TemplateList
from shared.errors import NotFound
from shared.http.auth import current_principal
from shared.http.blueprint import Blueprint

previews = Blueprint("previews", __name__, url_prefix="/v1",
                     description="Templates rendered with sample data (staff)")


@previews.route("/templates")
class Templates(MethodView):
    @previews.operation(TemplateList, roles=STAFF)
    def get(self):
        """The message templates and the preference categories."""
        return use.catalog()


@previews.route("/preview/<string:template>")
class PreviewOne(MethodView):
    @previews.operation(Preview, query=PreviewQuery, roles=STAFF)
    def get(self, args, template):
        """A template rendered with sample data (`?format=html` or `text` for the body alone)."""
        try:
            out = use.preview(settings(), template, current_principal().federation)
        except templating.UnknownTemplate:
            raise NotFound(f"template {template}") from None
        if args["format"] == "html":
            return Response(out["html"], mimetype="text/html")
        if args["format"] == "text":
            return Response(out["text"], mimetype="text/plain")
        return out
