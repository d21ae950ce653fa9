"""Base64/PEM armor ⇄ DER (pkcs12kit.armor).

Independent truth: a PKCS#12 written by ``openssl pkcs12 -export`` at test time, base64 made by
``openssl base64`` or the standard library, and ``openssl base64 -d`` to read what `armor` writes.
"""

from __future__ import annotations

import base64
import os
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pkcs12kit.armor import PEM_LABELS, armor, base64_lines, unarmor
from pkcs12kit.errors import EncodeError, LimitExceededError, MalformedError, PKCS12Error
from pkcs12kit.limits import Limits
from tools import require_tool as _tool




def _ok(*args, input: bytes | None = None) -> bytes:
    proc = subprocess.run([str(a) for a in args], input=input, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout


@pytest.fixture(scope="module")
def openssl() -> str:
    return _tool("openssl")


@pytest.fixture(scope="module")
def p12(openssl, tmp_path_factory) -> bytes:
    directory = tmp_path_factory.mktemp("armor")
    key, cert, out = directory / "key.pem", directory / "cert.pem", directory / "out.p12"
    _ok(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-out", cert, "-subj", "/CN=armor.example", "-days", "2")
    _ok(openssl, "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", out, "-passout", "pass:pw")
    return out.read_bytes()


@pytest.fixture(scope="module")
def openssl_b64(openssl, p12) -> str:
    """``openssl base64`` output: 64-column lines ending in newlines."""
    return _ok(openssl, "base64", "-e", input=p12).decode()


# --- DER passes through -------------------------------------------------------------------------


def test_der_is_returned_without_copying(p12):
    der, form = unarmor(p12)
    assert der is p12 and form == "der"


@pytest.mark.parametrize("wrap", [bytearray, memoryview])
def test_other_bytes_like(p12, wrap):
    assert unarmor(wrap(p12)) == (p12, "der")


@pytest.mark.parametrize("value", [None, 42, ["MII"], 3.0])
def test_wrong_type(value):
    with pytest.raises(TypeError):
        unarmor(value)


# --- bare base64 -----------------------------------------------------------------------------------


def test_base64_from_openssl(openssl_b64, p12):
    assert unarmor(openssl_b64) == (p12, "base64")
    assert unarmor(openssl_b64.encode()) == (p12, "base64")


@pytest.mark.parametrize(
    "encode",
    [
        lambda d: base64.encodebytes(d).decode(),  # 76 columns
        lambda d: base64.b64encode(d).decode(),  # one line, no newline
        lambda d: base64.encodebytes(d).decode().replace("\n", "\r\n"),
        lambda d: "\n\n  " + base64.encodebytes(d).decode().replace("\n", "   \n") + "\n\n",
        lambda d: "\ufeff" + base64.b64encode(d).decode(),
    ],
    ids=["76-columns", "one-line", "crlf", "blank-lines-and-spaces", "bom-str"],
)
def test_base64_text_forms(p12, encode):
    text = encode(p12)
    assert unarmor(text) == (p12, "base64")


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_base64_without_padding(p12, cut):
    # Some tools drop the '=' padding; lengths 3n+1 and 3n+2 are the ones that need it.
    der = p12[:-cut]
    text = base64.b64encode(der).decode()
    assert unarmor(text.rstrip("=")) == (der, "base64")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_base64_bytes_with_bom(p12, encoding):
    data = base64.encodebytes(p12).decode().encode(encoding)
    assert unarmor(data) == (p12, "base64")


# --- PEM-style armor -------------------------------------------------------------------------------


def test_armor_is_read_by_openssl_base64(openssl, p12, tmp_path):
    text = armor(p12)
    lines = text.split("\n")
    assert lines[0] == "-----BEGIN PKCS12-----"
    assert lines[-2:] == ["-----END PKCS12-----", ""]
    body = lines[1:-2]
    assert all(len(line) == 64 for line in body[:-1]) and 0 < len(body[-1]) <= 64
    assert _ok(openssl, "base64", "-d", input="\n".join(body).encode() + b"\n") == p12
    assert unarmor(text) == (p12, "pem")


@pytest.mark.parametrize("width", [4, 64, 76, 128])
def test_armor_width(p12, width):
    text = armor(p12, width=width)
    body = text.split("\n")[1:-2]
    assert {len(line) for line in body[:-1]} <= {width}
    assert "".join(body) == base64.b64encode(p12).decode()
    assert unarmor(text) == (p12, "pem")


@pytest.mark.parametrize("label", PEM_LABELS)
def test_armor_labels(p12, label):
    text = armor(p12, label=label)
    assert text.startswith(f"-----BEGIN {label}-----\n") and text.endswith(f"-----END {label}-----\n")
    assert unarmor(text) == (p12, "pem")


def test_pem_made_by_hand_with_noise(openssl_b64, p12):
    # RFC 7468 section 5.2: explanatory text before and after; other blocks are ignored.
    cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    text = (
        "Bag of things\r\n" + cert.replace("\n", "\r\n") + "base64 len 123-----BEGIN pkcs12-----\r\n"
        + openssl_b64.replace("\n", "  \r\n") + "\r\n-----END PKCS12-----\r\ntrailing words\r\n"
    )
    assert unarmor(text) == (p12, "pem")
    assert unarmor(text.encode("utf-8")) == (p12, "pem")


def test_base64_lines_matches_stdlib(p12):
    expected = base64.b64encode(p12).decode()
    lines = base64_lines(p12)
    assert "".join(lines) == expected
    assert all(len(line) == 64 for line in lines[:-1])
    assert base64_lines(p12, 76) == base64.encodebytes(p12).decode().split()
    assert base64_lines(b"") == []


@pytest.mark.parametrize("width", [0, -4, 3, 65])
def test_bad_width(p12, width):
    with pytest.raises(EncodeError):
        base64_lines(p12, width)
    with pytest.raises(EncodeError):
        armor(p12, width=width)


@pytest.mark.parametrize("call", [
    lambda: armor(b"0", label=None),
    lambda: armor("MII"),
    lambda: armor(b"0", width="64"),
    lambda: base64_lines(b"0", 64.0),
    lambda: base64_lines(b"0", True),
])
def test_armor_argument_types(call):
    with pytest.raises(TypeError):
        call()


def test_armor_refuses_unknown_label_and_empty_input(p12):
    with pytest.raises(EncodeError, match="label"):
        armor(p12, label="CERTIFICATE")
    with pytest.raises(EncodeError, match="empty"):
        armor(b"")


# --- errors say what and where --------------------------------------------------------------------


def _lines(p12):
    return base64.encodebytes(p12).decode().split()


def test_invalid_character_names_the_line(p12):
    lines = _lines(p12)
    lines[3] = lines[3][:5] + "!" + lines[3][6:]
    with pytest.raises(MalformedError, match=r"^line 4: invalid base64 character '!'$"):
        unarmor("\n".join(lines))
    pem = "\n".join(["junk", "-----BEGIN PKCS12-----", *lines, "-----END PKCS12-----"])
    with pytest.raises(MalformedError, match=r"^line 6: invalid base64 character '!'$"):
        unarmor(pem)


def test_damaged_line_width_names_the_line(p12):
    lines = _lines(p12)
    lines[2] = lines[2][:-3]
    with pytest.raises(MalformedError, match=r"^line 3: base64 line has 73 characters where the others have 76"):
        unarmor("\n".join(lines))


def test_blank_line_inside_bare_base64(p12):
    lines = _lines(p12)
    lines.insert(2, "")
    with pytest.raises(MalformedError, match=r"^line 3: blank line inside base64 data$"):
        unarmor("\n".join(lines))


def test_blank_lines_inside_armor_are_tolerated(p12):
    text = "\n".join(["-----BEGIN PKCS12-----", *(line + "\n" for line in _lines(p12)), "-----END PKCS12-----"])
    assert unarmor(text) == (p12, "pem")


def test_padding_in_the_middle(p12):
    lines = _lines(p12)
    lines[1] = lines[1][:-2] + "=="
    with pytest.raises(MalformedError, match=r"^line 2: base64 padding '=' before the end of the data$"):
        unarmor("\n".join(lines))


def test_truncated_group():
    # 4n + 1 characters cannot be base64.
    with pytest.raises(MalformedError, match="line 2: base64 data ends in the middle of a 4-character group"):
        unarmor("MIIBAAAA\nA")


def test_not_a_sequence():
    # base64 of "hello world": the first byte is 'h', 0x68
    with pytest.raises(MalformedError, match=r"line 1: base64 data does not decode to a DER SEQUENCE \(first byte 0x68, expected 0x30\)"):
        unarmor("aGVsbG8gd29ybGQ=")


def test_begin_without_end(p12):
    text = "\n".join(["some words", "", "-----BEGIN PKCS12-----", *_lines(p12)])
    with pytest.raises(MalformedError, match=r"^-----BEGIN PKCS12----- at line 3 has no matching END line$"):
        unarmor(text)


def test_end_label_must_match(p12):
    text = "\n".join(["-----BEGIN PKCS12-----", *_lines(p12), "-----END PFX-----"])
    with pytest.raises(MalformedError, match="does not match -----BEGIN PKCS12----- at line 1"):
        unarmor(text)


def test_begin_inside_block(p12):
    text = "\n".join(["-----BEGIN PKCS12-----", "MIIB", "-----BEGIN PKCS12-----", *_lines(p12), "-----END PKCS12-----"])
    with pytest.raises(MalformedError, match=r"^line 3: -----BEGIN PKCS12----- inside the block started at line 1"):
        unarmor(text)


def test_two_blocks_are_refused(p12):
    text = armor(p12) + armor(p12)
    second = armor(p12).count("\n") + 1
    with pytest.raises(MalformedError, match=rf"^line {second}: a second -----BEGIN PKCS12----- block"):
        unarmor(text)


def test_only_other_pem_blocks():
    text = "-----BEGIN DH PARAMETERS-----\nMIIB\n-----END DH PARAMETERS-----\n"
    with pytest.raises(MalformedError, match=r"^line 1: -----BEGIN DH PARAMETERS----- is not PKCS#12"):
        unarmor(text)


def test_pem_bundle_names_the_builder():
    text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    with pytest.raises(MalformedError, match=r"^line 1: this is a PEM bundle \(-----BEGIN CERTIFICATE-----\), "
                       r"not PKCS#12; .*pkcs12kit\.PKCS12\.build"):
        unarmor(text)


def test_text_after_begin_marker(p12):
    text = "\n".join(["-----BEGIN PKCS12-----MIIB", *_lines(p12), "-----END PKCS12-----"])
    with pytest.raises(MalformedError, match="line 1: unexpected text after -----BEGIN PKCS12-----"):
        unarmor(text)


@pytest.mark.parametrize("data", ["", b"", "   \n\r\n", "\ufeff", b"\xef\xbb\xbf", "Hello, world!\n", b"\x01\x02\x03"])
def test_nothing_found(data):
    with pytest.raises(MalformedError, match=r"^no PKCS#12 data found \(expected DER, base64, -----BEGIN PKCS12----- armor or a Cisco terminal transcript\)"):
        unarmor(data)


def test_binary_that_is_not_text():
    with pytest.raises(MalformedError, match=r"neither DER \(first byte 0x80, expected 0x30\) nor UTF-8 text \(invalid byte at offset 0\)"):
        unarmor(b"\x80MII")


def test_input_size_limit(p12):
    small = Limits(max_input_size=len(p12) - 1)
    with pytest.raises(LimitExceededError, match="max_input_size"):
        unarmor(p12, limits=small)
    with pytest.raises(LimitExceededError, match="max_input_size"):
        unarmor(armor(p12), limits=small)
    assert unarmor(p12, limits=Limits(max_input_size=len(p12))) == (p12, "der")


def test_large_input_round_trip():
    # ~12 MB, about 190,000 lines: a quadratic step would not finish in any reasonable time.
    der = b"\x30\x84" + os.urandom(9_000_000)
    assert unarmor(armor(der)) == (der, "pem")
    assert unarmor(base64.encodebytes(der)) == (der, "base64")


# --- properties -----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600).map(lambda b: b"\x30" + b), st.sampled_from(PEM_LABELS), st.sampled_from([4, 64, 76]))
def test_property_round_trip(der, label, width):
    assert unarmor(armor(der, label=label, width=width)) == (der, "pem")
    assert unarmor(armor(der, label=label, width=width).encode()) == (der, "pem")
    assert unarmor("\n".join(base64_lines(der, width))) == (der, "base64")


FRAGMENTS = [
    "MIIB", "AAAA", "qq==", "=", "quit", "", " ", "\r", "\n", "\n\n", "-----BEGIN PKCS12-----",
    "-----END PKCS12-----", "-----BEGIN CERTIFICATE-----", "-----", "base64 len 12",
    "Exported pkcs12 follows:", "---End - This line not part of the pkcs12---",
    "crypto ca import TP pkcs12 pw", "crypto pki import TP pkcs12 terminal password pw",
    "Enter the base 64 encoded pkcs12.", 'End with the word "quit" on a line by itself:',
    "Enter the PKCS12 data in base64 representation....", "ASA(config)# ", "% note", "..", "!",
    "\ufeff", "\u00e9", "#",
]


def _either(data):
    try:
        der, form = unarmor(data)
    except PKCS12Error:
        return
    assert isinstance(der, bytes) and der[:1] == b"\x30"
    assert isinstance(form, str)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_property_cisco_like_text_returns_or_raises_pkcs12error(text):
    _either(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_property_any_input_returns_or_raises_pkcs12error(data):
    _either(data)



def test_docs_input_forms_examples_run():
    # docs/input-forms.md's examples, run as written.
    import pathlib

    page = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "input-forms.md").read_text()
    blocks = page.split("```python\n")[1:]
    assert len(blocks) >= 7
    for number, block in enumerate(blocks):
        exec(compile(block.split("```", 1)[0], f"docs/input-forms.md block {number + 1}", "exec"), {})
