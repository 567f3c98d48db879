"""
The certificate as a PDF (reportlab), with the CJK font the project ships embedded so the
Chinese text renders everywhere, and a QR code that opens the public verification page.
"""
import io
import zipfile
from functools import lru_cache

import qrcode
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "WQY"


@lru_cache(maxsize=1)
def register_font():
    from home.charts import BUNDLED_FONT

    pdfmetrics.registerFont(TTFont(FONT, str(BUNDLED_FONT), subfontIndex=0))
    return FONT


def qr_image(url):
    """Return the QR code of `url` as a PIL image (the same encoder settings tests check)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def render(cert):
    """Return the PDF bytes of one certificate."""
    font = register_font()
    buffer = io.BytesIO()
    width, height = landscape(A5)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"执法资格证 {cert.number}")
    pdf.setStrokeColorRGB(0.12, 0.31, 0.47)
    pdf.setLineWidth(3)
    pdf.rect(18, 18, width - 36, height - 36)
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 70, "行政执法资格证")
    pdf.setFont(font, 12)
    officer = cert.officer
    lines = [
        ("姓名", officer.name),
        ("单位", officer.unit.name),
        ("证号", cert.number),
        ("发证日期", _date(cert.issued_on)),
        ("有效期至", _date(cert.valid_until)),
    ]
    y = height - 120
    for label, value in lines:
        pdf.setFont(font, 12)
        pdf.drawString(50, y, f"{label}：")
        pdf.setFont(font, 14)
        pdf.drawString(120, y, value)
        y -= 30
    pdf.setFont(font, 9)
    pdf.drawString(50, 40, "扫描二维码核验证件真伪与当前状态")
    size = 130
    pdf.drawImage(ImageReader(qr_image(cert.verification_url())), width - size - 40,
                  60, size, size)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def file_name(cert):
    return f"执法资格证-{cert.number}-{cert.officer.name}.pdf"


def write_zip(certificates, fileobj, progress=None, total=None):
    """Write one PDF per certificate into a ZIP archive; return how many."""
    count = 0
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for count, cert in enumerate(certificates, start=1):
            archive.writestr(file_name(cert), render(cert))
            if progress and total:
                progress.step(count, total)
    return count
