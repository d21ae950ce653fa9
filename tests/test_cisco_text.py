"""Cisco terminal transcripts → PKCS#12 DER (pkcs12kit.cisco.parse_transcript, armor.unarmor).

Independent truth: the real IOS-XE export in tests/vectors/cisco/ is checked with
``openssl pkcs12 -info`` and against ``sed | base64 -d``; every synthetic transcript wraps bytes
written by ``openssl pkcs12 -export`` at test time, base64-encoded by ``openssl base64`` (64
columns) or the standard library (76 columns), never by pkcs12kit.
"""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest

from pkcs12kit.armor import unarmor
from pkcs12kit.cisco import VARIANTS, Transcript, looks_like_transcript, parse_transcript
from pkcs12kit.errors import MalformedError
from tools import require_tool as _tool

VECTOR = Path(__file__).parent / "vectors" / "cisco" / "iosxe-export-pkcs12-terminal.txt"
PASSWORD = "cisco123"




def _run(*args, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], input=input, capture_output=True, timeout=120)


def _ok(*args, input: bytes | None = None) -> bytes:
    proc = _run(*args, input=input)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout


def _line_re(number: int) -> str:
    return rf"\bline {number}\b"


# --- the real IOS-XE export -------------------------------------------------------------------


def test_iosxe_vector_decodes_to_what_sed_and_base64_extract(tmp_path):
    sed, b64 = _tool("sed"), _tool("base64")
    # Independent extraction: the lines between the banner and the first blank line.
    body = _ok(sed, "-n", "/^Exported pkcs12 follows:/,/^$/{/^Exported/d;/^$/d;p;}", VECTOR)
    expected = _ok(b64, "-d", input=body)
    assert len(body.splitlines()) == 67  # 66 × 64 characters + 1 (docs/cisco-formats.md#ios-xe-export)

    transcript = parse_transcript(VECTOR.read_text())
    assert transcript.der == expected
    assert transcript.variant == "ios-export"
    assert transcript.line == 2
    assert any("---End - This line not part of the pkcs12---" in note for note in transcript.notes)
    assert any("success" in note for note in transcript.notes)
    assert unarmor(VECTOR.read_bytes()) == (expected, "ios-export")


def test_iosxe_vector_is_accepted_by_openssl(tmp_path):
    openssl = _tool("openssl")
    der = parse_transcript(VECTOR.read_text()).der
    path = tmp_path / "iosxe.p12"
    path.write_bytes(der)
    proc = _run(openssl, "pkcs12", "-info", "-noout", "-in", path, "-passin", f"pass:{PASSWORD}")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    # openssl prints the MAC parameters on stderr; docs/cisco-formats.md#ios-xe-export-encoding says SHA-256, 2048 iterations.
    assert b"MAC: sha256, Iteration 2048" in proc.stderr
    # and a wrong password is refused, so the check above is not vacuous
    assert _run(openssl, "pkcs12", "-info", "-noout", "-in", path, "-passin", "pass:wrong").returncode != 0


@pytest.mark.parametrize("newline", ["\r\n", "  \r\n", " \t\n"])
def test_iosxe_vector_with_crlf_and_trailing_spaces(newline):
    text = VECTOR.read_text()
    expected = parse_transcript(text).der
    noisy = newline.join(text.split("\n"))
    transcript = parse_transcript(noisy)
    assert transcript.der == expected
    assert transcript.variant == "ios-export"


# --- synthetic transcripts around an openssl-written PKCS#12 ----------------------------------


@pytest.fixture(scope="module")
def p12(tmp_path_factory) -> bytes:
    openssl = _tool("openssl")
    directory = tmp_path_factory.mktemp("cisco-text")
    key, cert, out = directory / "key.pem", directory / "cert.pem", directory / "out.p12"
    _ok(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
        "-subj", "/CN=vpn.example.com", "-days", "2")
    _ok(openssl, "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", out,
        "-passout", f"pass:{PASSWORD}", "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES",
        "-macalg", "sha1", "-iter", "2048")
    return out.read_bytes()


@pytest.fixture(scope="module")
def lines64(p12) -> list[str]:
    lines = _ok(_tool("openssl"), "base64", "-e", input=p12).decode().split()
    assert len(lines) > 10 and len(lines[0]) == 64
    return lines


@pytest.fixture(scope="module")
def lines76(p12) -> list[str]:
    lines = base64.encodebytes(p12).decode().split()
    assert len(lines[0]) == 76
    return lines


class D(list):
    """Marks base64 data lines when assembling a transcript."""


def assemble(*parts) -> tuple[list[str], list[int]]:
    """Lines of a transcript and the 0-based indexes of its data lines."""
    out: list[str] = []
    data: list[int] = []
    for part in parts:
        if isinstance(part, D):
            data.extend(range(len(out), len(out) + len(part)))
            out.extend(part)
        else:
            out.extend(part.split("\n"))
    return out, data


ASA_PROMPT = 'Enter the base 64 encoded pkcs12.\nEnd with the word "quit" on a line by itself:'
IOS_PROMPT = 'Enter the base 64 encoded pkcs12.\nEnd with a blank line or the word "quit" on a line by itself'


def _asa_export(l64, l76, size):
    return assemble(
        "nee-fw3b01/act(config)# crypto ca export vpn.example.com-2017 pkcs12 changeme", "",
        "Exported pkcs12 follows:", "-----BEGIN PKCS12-----", D(l64), "-----END PKCS12-----",
        "nee-fw3b01/act(config)# ")


def _ios_export(l64, l76, size):
    return assemble(
        "Router#crypto pki export client pkcs12 terminal password cisco123",
        "Exported pkcs12 follows:", D(l64), "", "---End - This line not part of the pkcs12---", "",
        "CRYPTO_PKI: Exported PKCS12 file successfully.", "Router#")


def _asa_import_76(l64, l76, size):
    return assemble(
        'ASA/sec/actNoFailover(config)# crypto ca import 2018-10-TrustPoint pkcs12 "changeme"', "",
        ASA_PROMPT, D(l76), "quit",
        "% You already have RSA or ECDSA keys named 2018-10-TrustPoint.",
        "% If you replace them, all device certs issued using these keys",
        "% will be removed.", "% Do you really want to replace them? [yes/no]: yes", "",
        "Trustpoint '2018-10-TrustPoint' is a subordinate CA and holds a non self-signed certificate.",
        "", "Trustpoint CA certificate accepted.",
        "INFO: Import PKCS12 operation completed successfully", "ASA/sec/actNoFailover(config)# ")


def _asa_import_armored_glued(l64, l76, size):
    return assemble(
        "ASA-FW1/act(config)# crypto ca import vpn.example.com pkcs12 changeme", "", ASA_PROMPT,
        f"base64 len {size}-----BEGIN PKCS12-----", D(l64), "-----END PKCS12-----", "quit",
        "WARNING: CA certificates can be used to validate VPN connections,",
        "by default.  Please adjust the validation-usage of this",
        "trustpoint to limit the validation scope, if necessary.",
        "INFO: Import PKCS12 operation completed successfully.", "ASA-FW1/act(config)# ")


def _ios_import_blank(l64, l76, size):
    return assemble(
        "R1(config)#crypto pki import TP pkcs12 terminal password cisco123", IOS_PROMPT, D(l64), "",
        "% The CA cert is not self-signed.",
        "% Do you also want to create trustpoints for CAs higher in",
        "% the hierarchy? [yes/no]: yes", "CRYPTO_PKI: Imported PKCS12 file successfully.",
        "R1(config)#")


def _ios_import_quit_76(l64, l76, size):
    return assemble(
        "R1(config)#crypto pki import TP pkcs12 term password cisco123", IOS_PROMPT, D(l76), "quit",
        "CRYPTO_PKI: Imported PKCS12 file successfully.", "R1(config)#")


def _ios_config_script(l64, l76, size):
    # A Catalyst 9800 config script: the command, a blank line, 76-column data, a blank line.
    return assemble(
        "crypto pki import WLC_TP pkcs12 terminal password Cisc0123", "", D(l76), "",
        "ip http secure-trustpoint WLC_TP")


def _asa_nointeractive(l64, l76, size):
    return assemble(
        "no crypto ca trustpoint ciscodemo noconfirm",
        "crypto key zeroize rsa label ciscodemo noconfirm",
        "crypto ca import ciscodemo pkcs12 cisco nointeractive", D(l64), "quit",
        "ERROR: CA trustpoint 'tp1' is not known.",
        "Enter the PKCS12 data in base64 representation....",
        "..WARNING: Identical public key already exists as ciscodemo", "...",
        "INFO: Import PKCS12 operation completed successfully.")


def _ios_prompt_only(l64, l76, size):
    return assemble(IOS_PROMPT, D(l64), "quit")


def _asa_prompt_only_armored(l64, l76, size):
    return assemble(ASA_PROMPT, "-----BEGIN PKCS12-----", D(l64), "-----END PKCS12-----", "quit")


def _asa_noisy(l64, l76, size):
    return assemble(
        "fw(config)# crypto ca import TP pkcs12 changeme", "% Warning: something informational",
        "", "", ASA_PROMPT, "", "....", f"base64 len {size}", D(l64), "quit",
        "INFO: Import PKCS12 operation completed successfully")


# name: (builder, expected variant, armored, a note that must be present, trustpoint)
CASES = {
    "asa-export": (_asa_export, "asa-export", True, "armored", None),
    "ios-export": (_ios_export, "ios-export", False, "---End - This line not part of the pkcs12---", None),
    "asa-import-76": (_asa_import_76, "asa-import", False, "'quit'", "2018-10-TrustPoint"),
    "asa-import-armored-glued": (_asa_import_armored_glued, "asa-import", True, "'base64 len N'", "vpn.example.com"),
    "ios-import-blank": (_ios_import_blank, "ios-import", False, "blank line", "TP"),
    "ios-import-quit-76": (_ios_import_quit_76, "ios-import", False, "'quit'", "TP"),
    "ios-config-script": (_ios_config_script, "ios-import", False, "blank line", "WLC_TP"),
    "asa-nointeractive": (_asa_nointeractive, "asa-nointeractive", False, "'quit'", "ciscodemo"),
    "ios-prompt-only": (_ios_prompt_only, "ios-import", False, "'quit'", None),
    "asa-prompt-only-armored": (_asa_prompt_only_armored, "asa-import", True, "'quit'", None),
    "asa-noisy": (_asa_noisy, "asa-import", False, "success", "TP"),
}

STYLES = {
    "lf": lambda lines: "\n".join(lines) + "\n",
    "crlf": lambda lines: "\r\n".join(lines) + "\r\n",
    "trailing-spaces": lambda lines: "".join(line + "  \n" for line in lines),
    "no-final-newline": lambda lines: "\n".join(lines),
}


def _build(name, p12, lines64, lines76):
    builder = CASES[name][0]
    return builder(lines64, lines76, len(p12))


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("name", sorted(CASES))
def test_variant_yields_the_openssl_bytes(name, style, p12, lines64, lines76):
    _, variant, armored, note, trustpoint = CASES[name]
    lines, data = _build(name, p12, lines64, lines76)
    text = STYLES[style](lines)

    transcript = parse_transcript(text)
    assert transcript.der == p12
    assert transcript.variant == variant
    assert transcript.variant in VARIANTS
    # the BEGIN line when armored, else the first base64 line (1-based)
    assert transcript.line == (data[0] if armored else data[0] + 1)
    assert any(note in n for n in transcript.notes), transcript.notes
    assert transcript.trustpoint == trustpoint
    # passwords typed in the transcript never reach the result
    for secret in ("changeme", "cisco123", "Cisc0123"):
        assert secret not in repr(transcript)

    assert looks_like_transcript(text)
    assert unarmor(text) == (p12, variant)
    assert unarmor(text.encode()) == (p12, variant)
    assert unarmor(b"\xef\xbb\xbf" + text.encode()) == (p12, variant)


def test_result_is_a_frozen_value(p12, lines64, lines76):
    transcript = parse_transcript(STYLES["lf"](_build("ios-export", p12, lines64, lines76)[0]))
    assert isinstance(transcript, Transcript)
    with pytest.raises(AttributeError):
        transcript.variant = "x"
    assert f"<{len(p12)} bytes>" in repr(transcript)


CORRUPTIONS = {
    "bad-char": lambda line: line[:10] + "!" + line[11:],
    "dropped-char": lambda line: line[:20] + line[21:],
    "inner-space": lambda line: line[:30] + " " + line[30:],
    "device-junk": lambda line: "% this is not base64",
    "prompt-junk": lambda line: "fw(config)# ",
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_corrupt_line_is_reported_by_number(name, corruption, p12, lines64, lines76):
    lines, data = _build(name, p12, lines64, lines76)
    index = data[len(data) // 2]
    lines[index] = CORRUPTIONS[corruption](lines[index])
    text = "\n".join(lines) + "\n"
    with pytest.raises(MalformedError, match=_line_re(index + 1)) as info:
        parse_transcript(text)
    if corruption == "bad-char":
        assert f"line {index + 1}: invalid base64 character '!'" in str(info.value)
    with pytest.raises(MalformedError, match=_line_re(index + 1)):
        unarmor(text)


@pytest.mark.parametrize("name", ["asa-import-76", "ios-import-blank", "asa-nointeractive", "ios-export"])
def test_blank_line_cutting_the_data_is_an_error(name, p12, lines64, lines76):
    lines, data = _build(name, p12, lines64, lines76)
    index = data[len(data) // 2]
    lines.insert(index, "")
    with pytest.raises(MalformedError, match=_line_re(index + 1)):
        parse_transcript("\n".join(lines))


def test_asa_export_without_end_line(lines64):
    text = "\n".join(["ASA(config)# crypto ca export TP pkcs12 pw", "", "Exported pkcs12 follows:",
                      "-----BEGIN PKCS12-----", *lines64, "ASA(config)# "])
    with pytest.raises(MalformedError, match=r"line 5\d*: device output before -----END PKCS12-----"):
        parse_transcript(text)
    with pytest.raises(MalformedError, match="-----BEGIN PKCS12----- at line 4 has no matching END line"):
        parse_transcript("\n".join(["Exported pkcs12 follows:", "", "", "-----BEGIN PKCS12-----", *lines64]))


def test_quit_before_end_line(lines64):
    lines, _ = assemble("crypto ca import TP pkcs12 pw", ASA_PROMPT, "-----BEGIN PKCS12-----",
                        D(lines64), "quit")
    quit_line = len(lines)
    with pytest.raises(MalformedError, match=rf"line {quit_line}: 'quit' before -----END PKCS12-----"):
        parse_transcript("\n".join(lines))


def test_mismatched_end_label(lines64):
    text = "\n".join(["Exported pkcs12 follows:", "-----BEGIN PKCS12-----", *lines64,
                      "-----END CERTIFICATE-----"])
    with pytest.raises(MalformedError, match="does not match -----BEGIN PKCS12----- at line 2"):
        parse_transcript(text)


def test_other_pem_block_is_not_pkcs12(lines64):
    text = "\n".join(["Exported pkcs12 follows:", "-----BEGIN CERTIFICATE-----", *lines64,
                      "-----END CERTIFICATE-----"])
    with pytest.raises(MalformedError, match="line 2: expected PKCS#12 data, found -----BEGIN CERTIFICATE-----"):
        parse_transcript(text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no Cisco terminal transcript found"),
        ("Router#show version\nCisco IOS XE Software\n", "no Cisco terminal transcript found"),
        ("Exported pkcs12 follows:\n", "line 1: no base64 data follows the export banner"),
        ("Exported pkcs12 follows:\n\n---End - This line not part of the pkcs12---\n", "line 1: no base64 data"),
        ("R1(config)#crypto pki import TP pkcs12 terminal password x\nquit\n", "line 1: no base64 data follows the import command"),
        ("fw(config)# crypto ca import TP pkcs12 pw\nfw(config)# \n", "line 1: no base64 data follows the import command"),
        ("Exported pkcs12 follows:\nhello there\n", r"line 2: invalid base64 character ' ' \(space\)"),
        ("Exported pkcs12 follows:\nAAAA\n", "line 2: base64 data does not decode to a DER SEQUENCE"),
    ],
)
def test_garbage_is_malformed(text, message):
    with pytest.raises(MalformedError, match=message):
        parse_transcript(text)


def test_import_from_a_file_is_not_a_terminal_transcript():
    text = "R1(config)# crypto pki import TP pkcs12 bootflash:/r1.p12 password cisco123\n% Importing pkcs12...\n"
    with pytest.raises(MalformedError, match="no Cisco terminal transcript found"):
        parse_transcript(text)


def test_two_transcripts_are_refused(p12, lines64, lines76):
    first, _ = _build("ios-export", p12, lines64, lines76)
    second, _ = _build("asa-import-76", p12, lines64, lines76)
    with pytest.raises(MalformedError, match=rf"line {len(first) + 1}: a second PKCS#12 transcript"):
        parse_transcript("\n".join(first + second))


def test_trailer_without_banner(lines64, p12):
    text = "\n".join([*lines64, "", "---End - This line not part of the pkcs12---", ""])
    transcript = parse_transcript(text)
    assert (transcript.der, transcript.variant, transcript.line) == (p12, "ios-export", 1)
    assert unarmor(text) == (p12, "ios-export")


def test_end_marker_without_begin_on_import(lines64, p12):
    text = "\n".join(["crypto ca import TP pkcs12 pw", ASA_PROMPT, *lines64, "-----END PKCS12-----", "quit"])
    transcript = parse_transcript(text)
    assert (transcript.der, transcript.variant) == (p12, "asa-import")
    assert any("without a BEGIN" in note for note in transcript.notes)


def test_device_failure_is_noted(lines64, p12):
    text = "\n".join([
        "R1(config)#crypto pki import TEST pkcs12 terminal password x", IOS_PROMPT, *lines64, "",
        "*Mar  4 19:43:48.333: %PKI-3-PKCS12_IMPORT_FAILURE: PKCS #12 import failed for trustpoint: TEST. "
        "Reason: Failed to import pkcs12 context"])
    transcript = parse_transcript(text)
    assert transcript.der == p12
    assert any("failure" in note for note in transcript.notes)


@pytest.mark.parametrize("text", [
    "-----BEGIN PKCS12-----\nMIIB\n-----END PKCS12-----\n",
    "MIIBAAAA\n",
    "just some prose about crypto\n",
    "crypto ca export TP pkcs12 pw\n",
])
def test_looks_like_transcript_false(text):
    assert looks_like_transcript(text) is False


@pytest.mark.parametrize("function", [parse_transcript, looks_like_transcript])
def test_wrong_argument_type(function):
    with pytest.raises(TypeError):
        function(b"Exported pkcs12 follows:\n")


def test_large_transcript(tmp_path):
    # 10,000 lines of data: the parser must stay linear (checked by finishing at all, and by the
    # bytes coming back exactly); the DER is random bytes behind a SEQUENCE tag.
    der = b"\x30\x82" + os.urandom(480_000)
    lines = base64.b64encode(der).decode()
    data = [lines[i:i + 64] for i in range(0, len(lines), 64)]
    text = "\r\n".join(["Exported pkcs12 follows:", *data, "", "---End - This line not part of the pkcs12---"])
    assert parse_transcript(text).der == der


def test_loads_reads_the_iosxe_transcript(tmp_path):
    # End to end: pkcs12kit.loads on the transcript text gives what openssl extracts from the DER.
    import pkcs12kit
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    openssl = _tool("openssl")
    text = VECTOR.read_text()
    path = tmp_path / "iosxe.p12"
    path.write_bytes(parse_transcript(text).der)
    pass_in = ("-passin", f"pass:{PASSWORD}")
    certs_pem = _ok(openssl, "pkcs12", "-in", path, *pass_in, "-nokeys")
    key_pem = _ok(openssl, "pkcs12", "-in", path, *pass_in, "-nocerts", "-nodes")
    expected_certs = [c.public_bytes(serialization.Encoding.DER) for c in x509.load_pem_x509_certificates(certs_pem)]
    expected_key = serialization.load_pem_private_key(key_pem, None).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    p12 = pkcs12kit.loads(text, PASSWORD)
    assert [c.der for c in p12.certificates] == expected_certs
    assert [k.der for k in p12.keys] == [expected_key]
