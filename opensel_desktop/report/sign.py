"""PAdES signature of a result sheet with pyhanko, in a visible field on page 1.

The caller hands over the key and certificate as PEM bytes (the app loads and decrypts the
officer's key file); nothing here reads a key file or a passphrase.

The visible stamp is drawn by reportlab in the sheet's own embedded DejaVu fonts and imported into
the signature's appearance, so the signed file embeds every font it uses (pyhanko's own text stamp
would use Courier, which is not embedded, or need a shaping library the app does not ship).
"""

from __future__ import annotations

import binascii
import datetime as dt
import io
import uuid

from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.pdfgen.canvas import Canvas

from opensel_desktop.report.fonts import clip_to_width, register_fonts
from opensel_desktop.report.layout import SIGNATURE_BOX

FIELD = "ReturningOfficer"


def signer_from_pem(key_pem: bytes, cert_pem: bytes) -> signers.SimpleSigner:
    key = load_private_key_from_pemder_data(key_pem, passphrase=None)
    certs = list(load_certs_from_pemder_data(cert_pem))
    return signers.SimpleSigner(signing_cert=certs[0], signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(certs))


def stamp_pdf(signer: str, fingerprint: str, when: str) -> bytes:
    """One page the size of the signature box: who signed, their certificate fingerprint, and when."""
    f = register_fonts()
    x1, y1, x2, y2 = SIGNATURE_BOX
    w, h = x2 - x1, y2 - y1
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(w, h), invariant=1, initialFontName=f.regular)
    c.setFillColorRGB(0.1, 0.1, 0.1)
    c.setFont(f.bold, 8.5)
    c.drawString(6, h - 14, "Digitally signed by")
    c.setFont(f.bold, 10)
    c.drawString(6, h - 27, clip_to_width(signer or "(no name)", f.bold, 10, w - 12))
    c.setFont(f.condensed, 7)
    c.drawString(6, h - 40, "Certificate SHA-256 fingerprint:")
    parts = fingerprint.split(":")
    for k in range(0, len(parts), 11):
        c.drawString(6, h - 50 - 9 * (k // 11), ":".join(parts[k:k + 11]))
    c.setFont(f.regular, 7.5)
    c.drawString(6, 7, when)
    c.showPage()
    c.save()
    return buf.getvalue()


class _ImportedStamp(PdfContent):
    """The stamp page, imported as a form XObject from bytes in memory."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        w = self._ensure_writer
        xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = b"/Stamp" + binascii.hexlify(uuid.uuid5(uuid.NAMESPACE_OID, "opensel-stamp").bytes)
        self.resources.xobject[name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


def sign_pdf(pdf: bytes, key_pem: bytes, cert_pem: bytes, reason: str = "Declaration of result",
             location: str = "", signer_name: str = "", fingerprint: str = "") -> bytes:
    """Return the signed PDF: one incremental update adding the signature over the whole file."""
    signer = signer_from_pem(key_pem, cert_pem)
    if not signer_name or not fingerprint:
        from opensel_desktop.report.verify import fingerprint_of

        cert = signer.signing_cert
        signer_name = signer_name or cert.subject.native.get("common_name", "")
        fingerprint = fingerprint or fingerprint_of(cert.dump())
    now = dt.datetime.now(dt.UTC)
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(w, SigFieldSpec(sig_field_name=FIELD, on_page=0, box=SIGNATURE_BOX))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
                                        reason=reason, location=location or None)
    style = StaticStampStyle(background=_ImportedStamp(stamp_pdf(signer_name, fingerprint,
                                                                 now.strftime("%Y-%m-%d %H:%M UTC"))),
                             border_width=0, background_opacity=1.0)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(w, output=out)
    return out.getvalue()
