"""Chinese is the source language; the English catalogue must be complete and compiled."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

import grassroots


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """Requests in English leave English active in this thread; later tests expect Chinese."""
    yield
    translation.deactivate()


SRC = Path(grassroots.__file__).parent
PO = SRC / "locale/en/LC_MESSAGES/django.po"
MO = SRC / "locale/en/LC_MESSAGES/django.mo"


def _unescape(s):
    return s.replace('\\"', '"').replace("\\n", "\n")


def catalogue():
    """{msgid: [msgstr forms]} of the .po (continuation lines joined; the header skipped)."""
    entries, key, current, msgid, forms = {}, None, None, None, []

    def flush():
        if msgid:
            entries[msgid] = forms

    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if m := re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line):
            key, text = m.group(1), _unescape(m.group(2))
            if key == "msgid":
                flush()
                msgid, forms = text, []
            elif key.startswith("msgstr"):
                forms.append(text)
            current = key
        elif line.startswith('"') and current:
            text = _unescape(line[1:-1])
            if current == "msgid":
                msgid += text
            elif current.startswith("msgstr"):
                forms[-1] += text
        elif not line.strip():
            current = None
    flush()
    return entries


def test_every_english_entry_is_translated():
    empty = [k for k, forms in catalogue().items() if any(not f for f in forms)]
    assert empty == []
    assert "fuzzy" not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_source():
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for msgid, forms in catalogue().items():
        assert mo.gettext(msgid) == forms[0] or len(forms) > 1, msgid


def test_every_marked_string_is_in_the_catalogue():
    known = set(catalogue())
    marked = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        marked |= {
            _unescape(s) for s in re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', path.read_text())
        }
    for path in SRC.rglob("*.html"):
        marked |= set(re.findall(r'{% translate "([^"]*)" %}', path.read_text()))
    missing = sorted(s for s in marked if s and s not in known)
    assert missing == [], "run `make messages` and translate: " + ", ".join(missing)


def test_stored_chinese_text_is_shown_in_english():
    from django.utils import translation

    from grassroots.core.i18n import translate_stored

    stored = "文件中有 3 行有错误，未导入任何数据。请下载错误报告，改正后重新上传。"
    with translation.override("en"):
        shown = translate_stored(stored)
        assert "3" in shown and not re.search(r"[\u4e00-\u9fff]", shown), shown
        assert translate_stored("必填项不能为空") != "必填项不能为空"
        assert translate_stored("不是任何条目") == "不是任何条目"
        assert translate_stored("") == ""
    with translation.override("zh-hans"):
        assert translate_stored(stored) == stored


def test_ledger_job_messages_follow_the_readers_language(world, tmp_path, settings):
    import django_tasks.signals  # noqa: F401  (resets the task backends when TASKS changes)

    from grassroots.people.models_ledger import ImportJob
    from tests.conftest import signed_in
    from tests.test_ledger_support import family, ledger

    # the job runs at once, in this thread, where the uploader's English is active
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = signed_in("community")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    households, residents = family()
    residents[1][2] = ""  # a required ID number left empty
    path = ledger(tmp_path / "bad.xlsx", households, residents)
    with path.open("rb") as fh:
        client.post("/people/ledger/", {"file": fh, "mode": "all"})
    job = ImportJob.objects.get()
    # stored in the source language, whoever uploaded it
    assert "行有错误" in job.message and any("不能为空" in p["message"] for p in job.problems)
    html = client.get(f"/people/ledger/jobs/{job.pk}/").content.decode()
    assert "行有错误" not in html and "不能为空" not in html
    assert "rows of the file have errors" in html
    # and in Chinese for a Chinese reader
    chinese = signed_in("community").get(f"/people/ledger/jobs/{job.pk}/").content.decode()
    assert "行有错误" in chinese


def test_the_dashboard_title_reads_naturally_in_english(world):
    from tests.conftest import signed_in

    client = signed_in("community")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/dashboard/").content.decode()
    assert "Dashboard: 石楼小镇社区" in html and "石楼小镇社区 dashboard" not in html
