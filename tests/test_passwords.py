"""Password sources (pkcs12kit.cli.passwords): openssl's pass:/env:/file:/fd:/stdin syntax, its
line-1/line-2 rule for one source used twice, prompts, and errors that never hold a password."""

from __future__ import annotations

import io
import os

import pytest

from pkcs12kit.cli.passwords import PasswordReader, PasswordSourceError

SECRET = "s3cr3t-Pa55"


def test_pass_and_env():
    reader = PasswordReader(environ={"P12PASS": SECRET, "EMPTY": ""})
    assert reader.read(f"pass:{SECRET}") == SECRET
    assert reader.read("pass:") == ""
    assert reader.read("pass:a:b c") == "a:b c"  # everything after the first colon
    assert reader.read("env:P12PASS") == SECRET
    assert reader.read("env:EMPTY") == ""
    assert reader.read(None) is None


def test_missing_env_var_names_the_variable():
    with pytest.raises(PasswordSourceError, match=r"--passin env:NOPE: environment variable NOPE is not set"):
        PasswordReader(environ={}).read("env:NOPE")


def test_file_first_line_then_second_line(tmp_path):
    path = tmp_path / "pw.txt"
    path.write_bytes(f"{SECRET}\r\nsecond\n\nignored".encode())
    with PasswordReader() as reader:
        assert reader.read(f"file:{path}") == SECRET  # CRLF stripped
        assert reader.read(f"file:{path}", option="--passout") == "second"
        assert reader.read(f"file:{path}") == ""  # an empty line is the empty password
    with PasswordReader() as reader:  # a new reader starts again at line 1
        assert reader.read(f"file:{path}") == SECRET


def test_file_without_newline_and_non_ascii(tmp_path):
    path = tmp_path / "pw.txt"
    path.write_bytes("pässwörd €".encode())
    assert PasswordReader().read(f"file:{path}") == "pässwörd €"


def test_file_errors_name_the_file_not_the_password(tmp_path):
    with pytest.raises(PasswordSourceError, match=r"file:.*absent\.txt: cannot read it: no such file"):
        PasswordReader().read(f"file:{tmp_path / 'absent.txt'}")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(PasswordSourceError, match=r"empty\.txt: no password line"):
        PasswordReader().read(f"file:{empty}")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\xff\xfe" + SECRET.encode() + b"\n")
    with pytest.raises(PasswordSourceError, match="not UTF-8") as info:
        PasswordReader().read(f"file:{binary}")
    assert SECRET not in str(info.value)
    with pytest.raises(PasswordSourceError, match="not a directory|is a directory|cannot read"):
        PasswordReader().read(f"file:{tmp_path}")


def test_fd_reads_one_line_at_a_time_and_leaves_the_descriptor_open():
    read_end, write_end = os.pipe()
    os.write(write_end, f"{SECRET}\nsecond\n".encode())
    os.close(write_end)
    try:
        reader = PasswordReader()
        assert reader.read(f"fd:{read_end}") == SECRET
        assert reader.read(f"fd:{read_end}") == "second"
        reader.close()
        os.fstat(read_end)  # still open: the caller owns it
    finally:
        os.close(read_end)


def test_fd_errors():
    with pytest.raises(PasswordSourceError, match="not a file descriptor number"):
        PasswordReader().read("fd:three")
    read_end, write_end = os.pipe()
    os.close(write_end)
    os.close(read_end)
    with pytest.raises(PasswordSourceError, match=rf"fd:{read_end}: cannot read it"):
        PasswordReader().read(f"fd:{read_end}")


def test_stdin_lines():
    reader = PasswordReader(stdin=io.TextIOWrapper(io.BytesIO(f"{SECRET}\nnext\n".encode())))
    assert reader.read("stdin") == SECRET
    assert reader.read("stdin") == "next"
    with pytest.raises(PasswordSourceError, match="stdin: no password line"):
        reader.read("stdin")


def test_unknown_sources_are_not_echoed():
    for source in (SECRET, "xyz:" + SECRET, "Pass:" + SECRET, "passwd"):
        with pytest.raises(PasswordSourceError) as info:
            PasswordReader().read(source, option="--passout")
        message = str(info.value)
        assert message.startswith("--passout: not a password source")
        assert SECRET not in message and "xyz" not in message


def test_prompt_needs_a_terminal():
    reader = PasswordReader(isatty=lambda: False)
    assert not reader.can_prompt()
    with pytest.raises(PasswordSourceError, match=r"not a terminal.*give --passin"):
        reader.prompt("password for in.p12")
    with pytest.raises(PasswordSourceError, match="not a terminal"):
        reader.read("prompt")


def test_prompt_asks_twice_when_confirming():
    asked = []

    def answer(prompt):
        asked.append(prompt)
        return SECRET

    reader = PasswordReader(isatty=lambda: True, prompt_function=answer)
    assert reader.prompt("password for out.p12", confirm=True) == SECRET
    assert asked == ["Enter password for out.p12: ", "Verifying - Enter password for out.p12: "]
    asked.clear()
    assert reader.prompt("password for in.p12") == SECRET
    assert len(asked) == 1


def test_prompt_mismatch_and_eof():
    answers = iter([SECRET, SECRET + "x"])
    reader = PasswordReader(isatty=lambda: True, prompt_function=lambda prompt: next(answers))
    with pytest.raises(PasswordSourceError, match="do not match") as info:
        reader.prompt("password for out.p12", confirm=True)
    assert SECRET not in str(info.value)

    def eof(prompt):
        raise EOFError

    with pytest.raises(PasswordSourceError, match="no input"):
        PasswordReader(isatty=lambda: True, prompt_function=eof).prompt("password")


def test_type_errors():
    with pytest.raises(TypeError):
        PasswordReader().read(b"pass:x")
