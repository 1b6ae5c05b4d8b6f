"""PAdES signature of a result sheet with pyhanko, in a visible field on page 1 (TOOLCHAIN.md 5).

The caller hands over the key and certificate as PEM bytes (the app loads and decrypts the
officer's key file); nothing here reads a key file or a passphrase.
"""

from __future__ import annotations

import io

from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from opensel_desktop.report.layout import SIGNATURE_BOX

FIELD = "ReturningOfficer"


def signer_from_pem(key_pem: bytes, cert_pem: bytes) -> signers.SimpleSigner:
    key = load_private_key_from_pemder_data(key_pem, passphrase=None)
    certs = list(load_certs_from_pemder_data(cert_pem))
    return signers.SimpleSigner(signing_cert=certs[0], signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(certs))


def sign_pdf(pdf: bytes, key_pem: bytes, cert_pem: bytes, reason: str = "Declaration of result",
             location: str = "") -> bytes:
    """Return the signed PDF: one incremental update adding the signature over the whole file."""
    signer = signer_from_pem(key_pem, cert_pem)
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(w, SigFieldSpec(sig_field_name=FIELD, on_page=0, box=SIGNATURE_BOX))
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
                                        reason=reason, location=location or None)
    # pyhanko's default Courier stamp: a custom TTF stamp rendered badly in poppler (TOOLCHAIN.md 7)
    style = TextStampStyle(stamp_text="Digitally signed by\n%(signer)s\n%(ts)s")
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(w, output=out)
    return out.getvalue()

