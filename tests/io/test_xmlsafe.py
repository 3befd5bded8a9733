"""Hostile and broken XML is refused with a clear error, through every reader and through cx.load."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import cxgraph as cx
from cxgraph.io import xmlsafe

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
GOOD_BODY = f'<model xmlns="{NS}" identifier="m"><name>M</name></model>'

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><name>&lol9;</name></model>
"""


def _xxe(secret: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE model [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<model xmlns="{NS}" identifier="m"><name>&xxe;</name></model>
""".encode()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-TOKEN")
    return path


def test_billion_laughs_is_refused_naming_the_attack(tmp_path: Path) -> None:
    path = tmp_path / "lol.xml"
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(cx.UnsafeInputError) as info:
        cx.io.read_archimate(path)
    err = info.value
    assert err.file == str(path)
    assert err.line == 2  # the <!DOCTYPE starts on the second line
    assert "declares entities" in str(err) and "billion laughs" in str(err)
    assert isinstance(err, cx.FormatError) and isinstance(err, ValueError)


def test_external_entity_is_refused_and_the_file_is_never_read(tmp_path: Path, secret: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_bytes(_xxe(secret))
    with pytest.raises(cx.UnsafeInputError) as info:
        cx.io.read_archimate(path)
    message = str(info.value)
    assert "external entities" in message and "local files or URLs" in message
    assert "TOP-SECRET-TOKEN" not in message


def test_parameter_entities_are_refused(tmp_path: Path, secret: Path) -> None:
    data = f"""<!DOCTYPE m [ <!ENTITY % p SYSTEM "file://{secret}"> %p; ]>{GOOD_BODY}""".encode()
    with pytest.raises(cx.UnsafeInputError, match="external entities"):
        xmlsafe.parse_xml(data, file="p.xml")


def test_external_dtd_is_refused_without_fetching_it() -> None:
    data = f'<!DOCTYPE model SYSTEM "http://example.invalid/evil.dtd">{GOOD_BODY}'.encode()
    with pytest.raises(cx.UnsafeInputError, match="external DTD") as info:
        xmlsafe.parse_xml(data, file="dtd.xml")
    assert "evil.dtd" in str(info.value)


def test_any_doctype_is_refused() -> None:
    with pytest.raises(cx.UnsafeInputError, match=r"document type declaration \(<!DOCTYPE"):
        xmlsafe.parse_xml(f"<!DOCTYPE model>{GOOD_BODY}".encode(), file="d.xml")


def test_malicious_archi_native_and_cx_load_are_refused_too(tmp_path: Path, secret: Path) -> None:
    native = tmp_path / "evil.archimate"
    native.write_bytes(f"""<!DOCTYPE m [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<archimate:model xmlns:archimate="http://www.archimatetool.com/archimate" name="&xxe;"/>""".encode())
    with pytest.raises(cx.UnsafeInputError, match="external entities"):
        cx.io.read_archi(native)
    with pytest.raises(cx.UnsafeInputError, match="external entities"):
        cx.load(native)
    disguised = tmp_path / "model.txt"  # XML content under another name is sniffed and refused as well
    disguised.write_bytes(BILLION_LAUGHS)
    with pytest.raises(cx.UnsafeInputError, match="billion laughs"):
        cx.load(disguised)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(GOOD_BODY.encode() + b" " * 5000)
    with pytest.raises(cx.UnsafeInputError, match=r"over the 0\.001 MB limit .*max_bytes="):
        cx.io.read_archimate(path, max_bytes=1000)
    model, _ = cx.io.read_archimate(path, max_bytes=10_000)  # a larger limit reads it
    assert model.name == "M"


def test_the_default_limit_is_200_mb_and_can_be_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert xmlsafe.MAX_BYTES == 200_000_000
    path = tmp_path / "m.xml"
    path.write_text(GOOD_BODY)
    monkeypatch.setattr(xmlsafe, "MAX_BYTES", 10)
    with pytest.raises(cx.UnsafeInputError, match="limit"):
        cx.load(path)


def test_zip_member_inflating_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.xml", b"<a>" + b" " * 2_000_000 + b"</a>")  # compresses to a few kB
    path = tmp_path / "bomb.archimate"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 20_000
    with pytest.raises(cx.UnsafeInputError, match=r"'model\.xml' in the zip archive .* over the 1 MB limit"):
        cx.io.read_archi(path, max_bytes=1_000_000)


def test_zip_without_a_model_says_what_it_holds(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("images/a.png", b"png")
    path = tmp_path / "x.archimate"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(cx.FormatError, match=r"has no 'model.xml' \(it holds images/a.png\)"):
        cx.io.read_archi(path)


def test_malformed_xml_reports_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(f'<model xmlns="{NS}" identifier="m">\n  <name>M</name>\n  <elements>\n</model>\n')
    with pytest.raises(cx.FormatError) as info:
        cx.io.read_archimate(path)
    assert not isinstance(info.value, cx.UnsafeInputError)
    assert info.value.line == 4
    assert str(info.value) == f"{path}:4: malformed XML: mismatched tag (column 3)"


def test_undefined_entity_is_malformed_not_expanded() -> None:
    with pytest.raises(cx.FormatError, match=r"^x.xml:1: malformed XML: undefined entity \(column"):
        xmlsafe.parse_xml(f'<model xmlns="{NS}">&nope;</model>'.encode(), file="x.xml")


def test_empty_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text("  \n")
    with pytest.raises(cx.FormatError, match="the file is empty: expected XML"):
        cx.io.read_archimate(path)


def test_line_numbers_follow_the_elements() -> None:
    tree = xmlsafe.parse_xml(b"<a>\n<b/>\n\n<c>\n<d/></c></a>")
    assert [tree.line(e) for e in tree.root.iter()] == [1, 2, 4, 5]


def _many_elements(n: int) -> bytes:
    """An exchange file with ``n`` ArchiMate elements: a few hundred bytes zipped, whatever ``n``."""
    items = "".join(f'<element identifier="e{i}" xsi:type="ApplicationComponent"><name>E{i}</name></element>'
                    for i in range(n))
    return (f'<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">'
            f"<name>M</name><elements>{items}</elements></model>").encode()


def test_a_document_of_too_many_elements_is_refused_while_parsing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert cx.limits.MAX_XML_ELEMENTS == 2_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.xml", _many_elements(5000))  # 5000 elements, 10,000 with their names
    path = tmp_path / "many.archimate"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setattr(cx.limits, "MAX_XML_ELEMENTS", 1000)
    with pytest.raises(cx.UnsafeInputError, match=r"more than 1,000 elements.*cxgraph\.limits\.MAX_XML_ELEMENTS"):
        cx.io.read_archi(path)
    plain = tmp_path / "many.xml"
    plain.write_bytes(_many_elements(5000))
    with pytest.raises(cx.UnsafeInputError, match=r"more than 1,000 elements") as caught:
        cx.io.read_archimate(plain)
    assert caught.value.line == 1
    monkeypatch.setattr(cx.limits, "MAX_XML_ELEMENTS", 20_000)  # a larger limit reads it
    model, _ = cx.io.read_archimate(plain)
    assert len(model.elements) == 5000
