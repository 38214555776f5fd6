"""The draft upload page: a plain HTML form and the server-rendered report, Vietnamese first.

No JavaScript and nothing from another host: the form posts to /drafts/validate?format=html and the
answer is this page again, with the report (registry.draft_render) or the error under the form.
"""

from __future__ import annotations

import html

from registry.draft_input import SUFFIXES
from registry.errors import InputError

TEXT = {
    "vi": {
        "title": "Kiểm tra dự thảo văn bản",
        "intro": "Tải lên dự thảo nghị định, quyết định (bảng mẫu CSV/XLSX, văn bản Word .docx, hoặc RDF) để biết "
                 "dự thảo làm phát sinh hay giải quyết chồng chéo, bỏ sót, gián đoạn nào trong sổ đăng ký thẩm "
                 "quyền, và dòng nào thay đổi chủ thể đang có thẩm quyền. Sổ đăng ký không bị thay đổi.",
        "file": "Tệp dự thảo", "effective": "Ngày có hiệu lực",
        "effective_help": "Các dòng không ghi ngày bắt đầu (valid_from) lấy ngày này. Để trống: ngày dự thảo tự ghi, "
                          "hoặc ngày bắt đầu sớm nhất của các dòng.",
        "repeals": "Bãi bỏ", "amends": "Sửa đổi, bổ sung",
        "provision_help": "Mỗi dòng một văn bản hoặc điều, khoản, điểm: 49/2026/NĐ-CP:14.1 hoặc "
                          "“khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP”.",
        "lang": "Ngôn ngữ của báo cáo", "submit": "Kiểm tra dự thảo",
        "formats": "Định dạng: {formats}. Tối đa {size}. Cột của bảng mẫu: docs/model.md (mục Authoring template); "
                   "bảng mẫu XLSX có thể có thêm trang “draft” (effective, title) và “amendments” (bãi bỏ, sửa đổi).",
        "error": "Không đọc được dự thảo", "report": "Kết quả kiểm tra",
        "where": {"file": "Tệp", "line": "Dòng (văn bản)", "row": "Dòng", "column": "Cột", "field": "Trường"},
        "other": "English",
    },
    "en": {
        "title": "Check a draft instrument",
        "intro": "Upload a draft decree or decision (template CSV/XLSX, Word .docx, or RDF) to see which overlaps, "
                 "omissions and gaps in the competence registry it would introduce or resolve, and which of its "
                 "rows change who holds a power. The registry is not changed.",
        "file": "Draft file", "effective": "Effective date",
        "effective_help": "Rows without a start date (valid_from) take it. Empty: the draft's own date, or its "
                          "rows' earliest start.",
        "repeals": "Repeals", "amends": "Amends",
        "provision_help": "One instrument or article, clause, point a line: 49/2026/NĐ-CP:14.1 or "
                          "“khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP”.",
        "lang": "Language of the report", "submit": "Check the draft",
        "formats": "Formats: {formats}. At most {size}. Template columns: docs/model.md (Authoring template); an "
                   "XLSX template may add the sheets “draft” (effective, title) and “amendments”.",
        "error": "The draft cannot be read", "report": "Report",
        "where": {"file": "File", "line": "Line", "row": "Row", "column": "Column", "field": "Field"},
        "other": "Tiếng Việt",
    },
}


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def page(lang: str, *, max_bytes: int, values: dict[str, str] | None = None, report_html: str = "",
         error: InputError | str | None = None) -> str:
    """The upload page, with a report or an error under the form when there is one.

    Args:
        lang: "vi" or "en" (anything else: Vietnamese).
        max_bytes: the upload limit, shown to the reader.
        values: the form's values to show again (effective, repeals, amends).
        report_html: a report fragment (registry.draft_render.html_fragment).
        error: what went wrong, an InputError (shown with its file, row, column, field) or a message.
    """
    lang = lang if lang in TEXT else "vi"
    t, e = TEXT[lang], html.escape
    values = values or {}
    other = "en" if lang == "vi" else "vi"
    accept = ",".join(SUFFIXES)
    radios = "".join(
        f"<label class='inline'><input type='radio' name='lang' value='{code}'"
        f"{' checked' if code == lang else ''}> {name}</label>" for code, name in (("vi", "Tiếng Việt"), ("en", "English")))
    result = ""
    if error is not None:
        result = _error(error, t)
    elif report_html:
        result = f"<section id='result' aria-labelledby='result-title'><h2 id='result-title'>{e(t['report'])}</h2>" \
                 f"{report_html}</section>"
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(t['title'])} — thamquyen</title><link rel='stylesheet' href='/static/drafts.css'></head><body>"
        f"<header><nav><a href='/drafts?lang={other}' hreflang='{other}'>{e(t['other'])}</a></nav>"
        f"<h1>{e(t['title'])}</h1><p>{e(t['intro'])}</p></header><main>"
        "<form id='draft-form' method='post' action='/drafts/validate?format=html' enctype='multipart/form-data'>"
        f"<p><label for='file'>{e(t['file'])}</label>"
        f"<input id='file' type='file' name='file' accept='{e(accept)}' required></p>"
        f"<p><label for='effective'>{e(t['effective'])}</label>"
        f"<input id='effective' type='date' name='effective' value='{e(values.get('effective', ''))}'>"
        f"<small>{e(t['effective_help'])}</small></p>"
        f"<p><label for='repeals'>{e(t['repeals'])}</label>"
        f"<textarea id='repeals' name='repeals' rows='2'>{e(values.get('repeals', ''))}</textarea>"
        f"<small>{e(t['provision_help'])}</small></p>"
        f"<p><label for='amends'>{e(t['amends'])}</label>"
        f"<textarea id='amends' name='amends' rows='2'>{e(values.get('amends', ''))}</textarea></p>"
        f"<fieldset><legend>{e(t['lang'])}</legend>{radios}</fieldset>"
        f"<p><button type='submit'>{e(t['submit'])}</button></p>"
        f"<p class='help'><small>{e(t['formats'].format(formats=', '.join(SUFFIXES), size=_size(max_bytes)))}"
        "</small></p></form>"
        f"{result}</main></body></html>\n")


def _error(error: InputError | str, t: dict) -> str:
    e = html.escape
    if isinstance(error, InputError):
        message = error.message
        where = "".join(f"<dt>{e(t['where'][k])}</dt><dd>{e(str(v))}</dd>"
                        for k, v in error.as_dict().items() if k in t["where"])
    else:
        message, where = str(error), ""
    return (f"<section id='error' class='error' role='alert'><h2>{e(t['error'])}</h2><p>{e(message)}</p>"
            + (f"<dl>{where}</dl>" if where else "") + "</section>")
