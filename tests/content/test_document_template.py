"""A document template page offers its form file for download."""
import io

import openpyxl
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from content.demo import form_workbook
from content.models import DocumentTemplatePage


def test_the_document_template_page_links_its_downloadable_form(study, people, client_for):
    fields = [("案件来源", "写明举报、检查发现或上级交办。")]
    Document = get_document_model()
    document = Document(title="立案审批表（空白表）")
    document.file.save("li-an.xlsx", ContentFile(form_workbook("立案审批表", fields)), save=False)
    document.save()
    page = DocumentTemplatePage(title="立案审批表", slug="li-an", purpose="决定是否立案。",
                                file=document,
                                fields=[("field", {"name": "案件来源", "guidance": "写明来源"})])
    study["shelf"].add_child(instance=page)
    page.save_revision().publish()
    client = client_for(people["officer"])
    html = client.get(page.url).content.decode()
    assert f'href="{document.url}"' in html and "案件来源" in html
    download = client.get(document.url)
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [cell.value for cell in sheet[4]][:1] == ["案件来源"]
