"""Reading an uploaded ledger: structural checks first, then a stream of raw rows.

`open_ledger` decides what the file is by its content, never its name: an .xlsx is a ZIP
(``PK\\x03\\x04``) holding ``xl/workbook.xml``; an old binary .xls (OLE2) is refused with the
advice to save it as .xlsx; anything else must be CSV text in UTF-8 (with or without BOM) or
GB18030. It refuses, each as a located `Problem`: an empty file, one over the size cap
(``PEOPLE_IMPORT_MAX_BYTES``, default 50 MB), a workbook that unpacks to too much
(`xlsx_limits`: in all, or one part packed too tightly) or holds more than Excel can (a cell
over 32,767 characters, `xlsx.XlsxLimit`), each with a message naming the reason, unknown
sheets, merged cells, headers that lack a required column or carry an unknown one. `iter_rows`
then streams the 户 sheet before the 人 sheet (`xlsx.XlsxBook`, values as openpyxl's read-only
mode gives them, or the csv module), one `RawRow` at a time, so memory does not grow with the
file. Messages never quote a cell's content
(SECURITY.md 16).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from grassroots.people.errors import PeopleErrorCode as E
from grassroots.people.ledger.columns import (
    DATA_SHEETS,
    HOUSEHOLDS,
    IGNORED_SHEETS,
    RESIDENTS,
)
from grassroots.people.ledger.layout import (
    Layout,
    LedgerFile,
    LedgerFileError,
    Problem,
    RawRow,
    file_problem,
    make_layout,
    raw_row,
)
from grassroots.people.ledger.xlsx import XlsxBook, XlsxError, XlsxLimit
from grassroots.people.ledger.xlsx_limits import expansion_problem

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="(([A-Z]{1,3})([0-9]+)(?::[A-Z]{1,3}[0-9]+)?)"'
)
_PREFIXED_ROW = re.compile(rb"<\w+:row[\s/>]")
_LONGEST_TAG = 1 << 16
_MAX_MERGES = 1000


def max_import_bytes() -> int:
    """The upload cap: ``settings.PEOPLE_IMPORT_MAX_BYTES``, default 50 MB."""
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_problem(size: int) -> LedgerFileError | None:
    """The problem with a file of `size` bytes (empty, or over the cap), if any."""
    if size == 0:
        return file_problem(E.FILE_EMPTY, _("文件是空的（0 字节），请重新选择文件"))
    cap = max_import_bytes()
    if size > cap:
        return file_problem(
            E.FILE_TOO_LARGE,
            _("文件超过大小上限 %(mb)s MB，请拆分后分批导入") % {"mb": _megabytes(cap)},
        )
    return None


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def open_ledger(path: Path, *, filename: str = "") -> LedgerFile:
    """The checked layout of the ledger at `path`, or LedgerFileError listing every problem.

    `filename` (the name the user gave it) only picks the wording of an error.
    """
    problem = size_problem(path.stat().st_size)
    if problem is not None:
        raise problem
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = Path(filename or path.name).suffix.lower()
    if head.startswith(XLSX_MAGIC):
        ledger = _open_xlsx(path)
    elif head == OLE2_MAGIC:
        raise file_problem(
            E.FILE_XLS,
            _("这是旧版 Excel（.xls）文件，请用 Excel 或 WPS 打开后“另存为” .xlsx 格式再上传"),
        )
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        raise file_problem(
            E.FILE_NOT_EXCEL,
            _("文件扩展名是 %(ext)s，但内容不是 Excel 工作簿（可能是改了扩展名的其他文件）")
            % {"ext": suffix},
        )
    else:
        ledger = _open_csv(path)
    if ledger.problems:
        raise LedgerFileError(ledger.problems)
    return ledger


def _limit_problem(reason: str) -> LedgerFileError:
    """The refusal of a workbook that holds more than the import reads, naming why."""
    if reason == "cell":
        message = _("工作簿中有单元格超过 32767 个字符（Excel 的上限），请检查后重新上传")
    elif reason == "chunk":
        message = _("工作表引用的文字过多（同一长文本被大量重复引用），请检查后重新上传")
    else:
        message = _("工作簿的结构超出上限（工作表、格式或部件过多），请另存为新的 .xlsx 后重新上传")
    return file_problem(E.FILE_TOO_LARGE, message)


def _open_xlsx(path: Path) -> LedgerFile:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            expansion = expansion_problem(zf.infolist())
    except (zipfile.BadZipFile, OSError):
        raise file_problem(E.FILE_NOT_EXCEL, _("文件已损坏或不是 Excel 工作簿")) from None
    if "xl/workbook.xml" not in names:
        raise file_problem(E.FILE_NOT_EXCEL, _("这是一个压缩文件，但不是 Excel 工作簿（.xlsx）"))
    if expansion is not None and expansion.reason == "total":
        raise file_problem(
            E.FILE_TOO_LARGE,
            _("工作簿解压后超过 %(mb)s MB 的上限，请拆分后分批导入")
            % {"mb": _megabytes(expansion.limit)},
        )
    if expansion is not None:
        raise file_problem(
            E.FILE_TOO_LARGE,
            _(
                "工作簿中有部件的压缩比超过 %(n)d 倍（可能是“压缩炸弹”），"
                "已拒绝；请另存为新的 .xlsx 后重新上传"
            )
            % {"n": expansion.limit},
        )
    try:
        book = XlsxBook(path)
    except XlsxLimit as exc:
        raise _limit_problem(exc.reason) from None
    except Exception:  # zipfile and the XML parser raise many types for malformed parts
        raise file_problem(E.FILE_NOT_EXCEL, _("文件已损坏或不是 Excel 工作簿")) from None
    try:
        ledger = _xlsx_layouts(path, book)
    except XlsxLimit as exc:
        book.close()
        raise _limit_problem(exc.reason) from None
    except XlsxError:
        book.close()
        raise file_problem(E.FILE_NOT_EXCEL, _("文件已损坏或不是 Excel 工作簿")) from None
    except Exception:
        book.close()
        raise
    if ledger.problems:
        book.close()
    else:
        ledger.workbook = book
    return ledger


def _xlsx_layouts(path: Path, book: XlsxBook) -> LedgerFile:
    ledger = LedgerFile(path=path, kind="xlsx", layouts={}, row_estimate=0)
    titles = {t.strip(): t for t in book.sheetnames}
    for title in book.sheetnames:
        if title.strip() not in DATA_SHEETS and title.strip() not in IGNORED_SHEETS:
            ledger.problems.append(
                Problem(
                    title,
                    0,
                    "",
                    "sheet",
                    E.UNKNOWN_SHEET,
                    _(
                        "未知工作表“%(name)s”：只能有“户”“人”两张数据表（“说明”表会被忽略），请删除多余的工作表"
                    )
                    % {"name": title},
                )
            )
    present = [s for s in DATA_SHEETS if s in titles]
    if not present:
        ledger.problems.append(
            Problem(
                "",
                0,
                "",
                "sheet",
                E.NO_DATA_SHEET,
                _("工作簿中没有名为“户”或“人”的工作表"),
            )
        )
    for sheet in present:
        first = next(book.rows(titles[sheet], max_row=1), (1, []))
        headers = ["" if v is None else str(v).strip() for v in first[1]] if first[0] == 1 else []
        layout = make_layout(sheet, titles[sheet], headers, ledger.problems)
        ledger.layouts[sheet] = layout
        with zipfile.ZipFile(path) as zf:
            rows, problems = _scan_sheet(zf, book.sheet_member(titles[sheet]), layout, headers)
        ledger.row_estimate = (ledger.row_estimate or 0) + max(rows - 1, 0)
        ledger.problems.extend(problems)
    return ledger


def _scan_sheet(
    zf: zipfile.ZipFile, member: str, layout: Layout, headers: list[str]
) -> tuple[int, list[Problem]]:
    """About how many rows one sheet's XML holds (its ``<row`` tags: the progress bar's total),
    and a problem for each of its merged ranges."""
    found: list[tuple[str, int, str]] = []
    rows = 0
    carry = b""
    with zf.open(member) as src:
        while True:
            chunk = src.read(_CHUNK)
            data = carry + chunk
            # Cut before the last "<": every tag looked for starts with one, so none is split or
            # seen twice. What is carried stays short (a longer "tag" is not one of ours).
            cut = data.rfind(b"<")
            if not chunk or cut < 0 or (cut == 0 and len(data) > _LONGEST_TAG):
                cut = len(data)
            segment, carry = data[:cut], data[cut:]
            rows += segment.count(b"<row") - segment.count(b"<rowBreaks")
            if b":row" in segment:
                rows += len(_PREFIXED_ROW.findall(segment))
            if b"mergeCell" in segment:
                for m in _MERGE.finditer(segment):
                    if len(found) < _MAX_MERGES:  # the first ones say enough
                        found.append((m.group(2).decode(), int(m.group(3)), m.group(1).decode()))
            if not chunk:
                break
    problems = []
    for letter, row, ref in sorted(found, key=lambda t: (t[1], t[0])):
        index = column_index_from_string(letter) - 1
        header = headers[index] if index < len(headers) else get_column_letter(index + 1)
        problems.append(
            Problem(
                layout.sheet,
                row,
                header,
                _field_at(layout, index),
                "merged_cells",
                _("不能有合并单元格（%(ref)s），请取消合并并在每个单元格中填写完整内容")
                % {"ref": ref},
            )
        )
    return rows, problems


def _field_at(layout: Layout, index: int) -> str:
    return next((c.field for i, c in layout.positions if i == index), "")


def _open_csv(path: Path) -> LedgerFile:
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        first = fh.readline()
    delimiter = "\t" if "\t" in first and "," not in first else ","
    headers = [h.strip() for h in next(csv.reader([first], delimiter=delimiter), [])]
    names = {h.rstrip("*＊").strip() for h in headers}
    if "身份证号" in names or "id_number" in names:
        sheet = RESIDENTS
    elif names & {"地址", "address", "网格代码", "grid"}:
        sheet = HOUSEHOLDS
    else:
        raise file_problem(
            E.UNKNOWN_TABLE,
            _("无法判断这是“户”表还是“人”表：第1行列名中应有“身份证号”（人）或“地址”（户）"),
        )
    ledger = LedgerFile(path=path, kind="csv", layouts={}, encoding=encoding, delimiter=delimiter)
    ledger.layouts[sheet] = make_layout(sheet, sheet, headers, ledger.problems)
    ledger.row_estimate = _count_lines(path)
    return ledger


def _csv_encoding(path: Path) -> str:
    """Whichever of UTF-8 (BOM or not) and GB18030 decodes the whole file; LedgerFileError else."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    if b"\x00" in chunk:
                        raise file_problem(
                            E.FILE_NOT_TEXT,
                            _("文件既不是 Excel 工作簿（.xlsx），也不是 CSV 文本文件"),
                        )
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise file_problem(
        E.FILE_ENCODING, _("无法识别文件编码：请将 CSV 另存为 UTF-8 或 GB18030（GBK）编码")
    )


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def iter_rows(ledger: LedgerFile) -> Iterator[RawRow]:
    """Every non-empty data row, 户 sheet first; `row` is the row number the user sees."""
    if ledger.kind == "csv":
        yield from _csv_rows(ledger)
        return
    try:
        if ledger.workbook is None:
            ledger.workbook = XlsxBook(ledger.path)
        for sheet, layout in ledger.layouts.items():
            for number, cells in ledger.workbook.rows(layout.title, min_row=2):
                raw = raw_row(sheet, number, cells, layout)
                if raw is not None:
                    yield raw
    except XlsxLimit as exc:
        raise _limit_problem(exc.reason) from None
    except XlsxError:
        raise file_problem(E.FILE_NOT_EXCEL, _("文件已损坏或不是 Excel 工作簿")) from None


def _csv_rows(ledger: LedgerFile) -> Iterator[RawRow]:
    ((sheet, layout),) = ledger.layouts.items()
    number = 1
    with ledger.path.open(encoding=ledger.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=ledger.delimiter)
        try:
            next(reader, None)
            for number, cells in enumerate(reader, start=2):
                raw = raw_row(sheet, number, cells, layout)
                if raw is not None:
                    yield raw
        except csv.Error:
            raise LedgerFileError(
                [
                    Problem(
                        sheet,
                        number + 1,
                        "",
                        "",
                        "csv_malformed",
                        _("CSV 格式错误（引号不配对或单元格过长）"),
                    )
                ]
            ) from None
