"""Working without a signal: the grid worker's pages as an installable web app.

The service worker (`/sw.js`), the web manifest, the outbox script and the JSON answers a form
gives the outbox. Apps opt in; this app knows none of them (see docs/offline.md).
"""
