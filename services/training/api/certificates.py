"""`/v1/certificates/<code>`: anyone checks a certificate (no token)."""
from services.training import certificates as use_cases, schemas
from services.training.api.common import db
from shared.http.blueprint import Blueprint

certificates = Blueprint("certificates", __name__, url_prefix="/v1/certificates",
                         description="Public verification of a certificate by its code (no token)")


@certificates.route("/<string:code>")
@certificates.operation(schemas.Certificate, public=True)
@certificates.doc(security=[])
def verify_certificate(code):
    """Check a certificate: holder's name, programme, cohort and date (no token needed)."""
    return use_cases.verify(db(), code)
