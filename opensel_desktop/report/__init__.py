"""Result sheets: reportlab layout, charts, QR code, PAdES signing and verification (pyhanko). No Qt.

`sheets.build(SheetInput)` lays out the documents a returning officer prints; `sign.sign_pdf` signs
them; `verify.verify_pdf` checks a signed sheet and, when given, that it matches a contest.
"""
