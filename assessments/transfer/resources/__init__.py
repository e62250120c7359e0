"""django-import-export resources: the spreadsheet columns of the portal's imports and exports,
one module per thing moved.

* ``columns``: matching a file's headers (Chinese or English) to columns, reading cell text;
* ``enterprises``: the registry import (``EnterpriseImportResource``: rows checked by
  ``enterprise_rows``, saved in bulk with owner invitations), on top of the registry's columns
  and export in ``portal.accounts.resources``;
* ``applications`` and ``submissions``: export-only (``base.ExportResource``);
* ``scheme_items``: the columns of the scheme items round trip (``transfer/schemes.py``).
"""
