"""Readers turn an uploaded file into blocks (see blocks.py); one per format."""

from opencls.imports.readers.blocks import HEADING, PARAGRAPH, TABLE, Block, ReadResult
from opencls.imports.readers.docx_reader import read_docx
from opencls.imports.readers.pdf_reader import read_pdf
from opencls.imports.readers.text_reader import read_text

READERS = {".txt": read_text, ".md": read_text, ".markdown": read_text, ".docx": read_docx, ".pdf": read_pdf}
FORMAT_NAMES = {".txt": "texte", ".md": "Markdown", ".markdown": "Markdown", ".docx": "Word", ".pdf": "PDF"}

__all__ = ["HEADING", "PARAGRAPH", "TABLE", "Block", "ReadResult", "READERS", "FORMAT_NAMES"]
