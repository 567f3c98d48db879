"""
Award certificates 获奖证书 as PDF: one page per award, the project's embedded CJK font,
and a QR code that opens the award's public verification page. Entrants' and teams'
awards are AwardResult rows; the best organisation award 最佳组织奖 is the contest's
(a unit and a reason), so its QR code carries a signed token of contest and unit instead.
"""
import io
import zipfile

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from certificates.pdf import qr_image, register_font

from .models import AwardScope
from .results import entrant_name, entrant_unit


def verification_url(award):
    """Return the public address the certificate's QR code opens."""
    path = reverse("competitions:award_verify", args=[award.certificate_token])
    return settings.SITE_URL.rstrip("/") + path


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def issue_date(contest):
    """The day printed on the contest's certificates: the day (in Asia/Shanghai) the
    results were published, else the day the contest ends."""
    if contest.published_at:
        return timezone.localdate(contest.published_at)
    return contest.ends_on


def holder(award):
    """Return (name, unit) of whoever holds the award: an entrant or a team."""
    if award.scope == AwardScope.TEAM:
        return award.team.name, award.team.unit.name
    return entrant_name(award.entry), entrant_unit(award.entry)


def category(award):
    """Return what the award was won in: an event, the overall ranking or the team ranking."""
    if award.scope == AwardScope.EVENT:
        return f"{award.event.name}项目"
    if award.scope == AwardScope.TEAM:
        return "团体"
    return "个人全能"


def _page(title, name, unit, contest, won_in, prize, url):
    """Return the PDF bytes of one certificate page: holder, contest, prize and QR code."""
    font = register_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(title)
    pdf.setStrokeColorRGB(0.66, 0.13, 0.13)
    pdf.setLineWidth(4)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(1)
    pdf.rect(32, 32, width - 64, height - 64)
    pdf.setFillColorRGB(0.66, 0.13, 0.13)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 110, "获奖证书")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 20)
    pdf.drawString(90, height - 180, f"{name}（{unit}）：" if unit else f"{name}：")
    pdf.setFont(font, 18)
    pdf.drawString(130, height - 225, f"在{contest.name}中，")
    pdf.drawString(130, height - 262, f"荣获{won_in}")
    pdf.setFont(font, 30)
    pdf.setFillColorRGB(0.66, 0.13, 0.13)
    pdf.drawString(130, height - 312, prize)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 18)
    pdf.drawString(130, height - 355, "特发此证，以资鼓励。")
    pdf.setFont(font, 16)
    pdf.drawRightString(width - 220, 120, contest.organizer_unit.name)
    day = issue_date(contest)
    if day:
        pdf.drawRightString(width - 220, 94, _date(day))
    size = 120
    pdf.drawImage(ImageReader(qr_image(url)), width - size - 60, 60, size, size)
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 60 - size / 2, 50, "扫码核验")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def render(award):
    """Return the PDF bytes of one award certificate (an entrant's or a team's)."""
    contest = award.contest
    name, unit = holder(award)
    return _page(f"获奖证书 {contest.name} {name}", name, unit, contest, category(award),
                 award.prize, verification_url(award))


# ---------------------------------------------------------------- best organisation award

BEST_ORGANISATION = "最佳组织奖"
BEST_ORGANISATION_SALT = "competitions.best-organisation"


def best_organisation_token(contest):
    """Return the signed token of the contest's best organisation award (its QR code).

    It names the contest and the unit, so a certificate printed for a unit that no
    longer holds the award does not verify.
    """
    return signing.dumps([contest.pk, contest.best_organisation_unit_id],
                         salt=BEST_ORGANISATION_SALT, compress=True)


def best_organisation_from_token(token):
    """Return (contest id, unit id) from a best organisation token, or None if forged."""
    try:
        contest_id, unit_id = signing.loads(token, salt=BEST_ORGANISATION_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return contest_id, unit_id


def best_organisation_url(contest):
    path = reverse("competitions:best_organisation_verify",
                   args=[best_organisation_token(contest)])
    return settings.SITE_URL.rstrip("/") + path


def render_best_organisation(contest):
    """Return the PDF bytes of the best organisation award 最佳组织奖 certificate: the
    unit, the contest and the award (the organizer's recorded reason is not printed)."""
    unit = contest.best_organisation_unit
    return _page(f"获奖证书 {contest.name} {unit.name} {BEST_ORGANISATION}", unit.name, "",
                 contest, "", BEST_ORGANISATION, best_organisation_url(contest))


def best_organisation_file_name(contest):
    return f"获奖证书-{BEST_ORGANISATION}-{contest.best_organisation_unit.name}.pdf"


def file_name(award):
    name, _unit = holder(award)
    return f"获奖证书-{category(award)}-{award.prize}-{name}-{award.pk}.pdf"


def write_zip(awards, fileobj, progress=None, total=None, best_organisation=None):
    """Write one PDF per award (and the best organisation award of the contest
    `best_organisation`, if given) into a ZIP archive; return how many."""
    count = 0
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for count, award in enumerate(awards, start=1):
            archive.writestr(file_name(award), render(award))
            if progress and total:
                progress.step(count, total)
        if best_organisation is not None and best_organisation.best_organisation_unit_id:
            archive.writestr(best_organisation_file_name(best_organisation),
                             render_best_organisation(best_organisation))
            count += 1
            if progress and total:
                progress.step(count, total)
    return count
