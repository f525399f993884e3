import sys

# jsonschema builds a Lark grammar for the "iri" format when rfc3987_syntax is
# installed (1.3 s of CPU at every start); nbformat's schema never uses that format.
sys.modules.setdefault("rfc3987_syntax", None)

from .cli import main  # noqa: E402

sys.exit(main())
