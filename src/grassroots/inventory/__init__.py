"""The forms inventory ("nothing asked twice"): every form and API input of the project, the
fields it asks and the canonical attribute each fills, generated from the code
(`collect`), checked against the rule (`rules`) and published as docs/forms-inventory.md
(`render`, `grassroots forms-inventory`). The top layer: it reads every app, none reads it."""
