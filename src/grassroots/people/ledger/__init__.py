"""Ledgers in and out (台账导入导出): the .xlsx/.csv import of households and residents, its
templates and error reports, and the scoped, audited .xlsx exports.

The pieces, in the order data flows through them:

- `columns`: the column definitions shared by the template, the reader and the exports.
- `reader`: structural checks of an uploaded file and a stream of raw rows.
- `validate`: one raw row into clean, sealed values or located errors.
- `plan`: the cross-row and registry checks that decide what an import would do.
- `spool`: the clean rows kept between validation and writing (identifiers sealed).
- `apply`: the bulk write service (one transaction, one audit row).
- `report`: the downloadable error report.
- `jobs` and `tasks`: the background job with its progress, run by django_tasks.
- `export`: the .xlsx exports of the resident and household lists.
"""
