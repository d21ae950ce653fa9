"""AuthenticatedSafe ⇄ SafeContents (RFC 7292 section 4.1): data and encryptedData safes.

Exports: PRIVACY_PASSWORD_WRONG, Keyring, declared_iterations, decode_authenticated_safe, encode_safe_contents,
encode_data, encode_encrypted_data, encode_enveloped_data.

AuthenticatedSafe ::= SEQUENCE OF ContentInfo
  -- each ContentInfo is data (plain SafeContents), encryptedData (password-encrypted, via pbe)
  -- or envelopedData (public-key privacy mode, RFC 5652 section 6, via cms_envelope).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import pbe, tlv
from .asn1 import CONTENT_TYPES
from .bags import BagCounter, decode_safe_contents
from .errors import BadPasswordError, LimitExceededError, MalformedError, PKCS12Error, UnsupportedAlgorithmError
from .model import SafeInfo

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .ciphers import Provider
    from .entries import Entry
    from .kdf import PasswordForm
    from .limits import Limits, WorkBudget
    from .model import NestedBags
    from .protection import EnvelopeInfo, Protection

__all__ = ["PRIVACY_PASSWORD_WRONG", "Keyring", "declared_iterations", "decode_authenticated_safe", "encode_safe_contents",
           "encode_data", "encode_encrypted_data", "encode_enveloped_data"]

DATA = tlv.oid_contents(CONTENT_TYPES["data"])
ENCRYPTED_DATA = tlv.oid_contents(CONTENT_TYPES["encrypted_data"])
ENVELOPED_DATA = tlv.oid_contents(CONTENT_TYPES["enveloped_data"])
SIGNED_DATA = tlv.oid_contents(CONTENT_TYPES["signed_data"])


# The error when, with a separate MAC password, the privacy (encryption) password is wrong.
PRIVACY_PASSWORD_WRONG = (
    "{where}: decryption failed (wrong privacy (encryption) password, or corrupted data)"
)


class Keyring:
    """Decrypts with the user's password, settling which encoding of it the file uses.

    ``forms`` are the candidate encodings (``kdf.Password.forms()``). When the MAC verified, the
    form it verified with is tried first; without a MAC, each form is tried until the plaintext
    both unpads and parses, and that form is then preferred for the rest of the file.
    """

    def __init__(
        self, forms: Iterable[PasswordForm], *, budget: WorkBudget, ciphers: str | Provider | None, mac_verified: bool,
        two_passwords: bool = False, recipient: tuple[bytes, bytes | None] | None = None,
    ) -> None:
        self.forms = list(forms)
        self.two_passwords = two_passwords
        # (PKCS#8 key DER, certificate DER or None) that opens envelopedData safes, or None.
        self.recipient = recipient
        self.budget = budget
        self.limits = budget.limits
        self.ciphers = ciphers
        self.mac_verified = mac_verified
        self.used_labels: set[str] = set()

    def prefer(self, form: PasswordForm) -> None:
        """Try ``form`` first from now on."""
        self.forms.remove(form)
        self.forms.insert(0, form)

    def decrypt(
        self, algorithm_der: bytes, ciphertext: tlv.Buffer, where: str, validate: Callable[[bytes], None]
    ) -> tuple[bytes, Protection]:
        """Decrypt and check the plaintext with ``validate``; return (plaintext, Protection)."""
        failure: Exception | None = None
        tried: set[bytes] = set()
        for form in list(self.forms):
            # Two forms with the same octets for this scheme (a non-ASCII password's standard
            # and legacy forms under PBES2, hashing UTF-8) derive the same key: run it once, as
            # mac.verify does (issue 15 row 4).
            try:
                secret = pbe.secret_of(algorithm_der, form, where)
            except PKCS12Error:
                secret = None  # pbe.decrypt below reports the unreadable algorithm
            if secret is not None:
                if secret in tried:
                    continue
                tried.add(secret)
            try:
                plain, protection = pbe.decrypt(
                    algorithm_der, ciphertext, form, budget=self.budget, ciphers=self.ciphers, where=where
                )
                validate(plain)
            except (BadPasswordError, MalformedError) as err:
                # Bad padding or unparsable plaintext: this encoding of the password is wrong,
                # unless the ciphertext itself is broken; try the next form before deciding.
                if isinstance(err, MalformedError) and not _is_plaintext_error(err):
                    raise
                failure = err
                continue
            self.prefer(form)
            self.used_labels.add(form.label)
            return plain, protection
        if self.two_passwords:
            # The MAC password was checked on its own; this one is the privacy password.
            raise BadPasswordError(PRIVACY_PASSWORD_WRONG.format(where=where)) from failure
        if self.mac_verified:
            raise MalformedError(
                f"{where}: decryption failed although the MAC verified: the content is corrupt "
                "or encrypted under a different password"
            ) from failure
        raise BadPasswordError(
            f"{where}: decryption failed (wrong password, or corrupted data; the file has no MAC "
            "to tell them apart)"
        ) from failure

    def decrypt_shrouded(self, encrypted_der: bytes, where: str) -> tuple[bytes, Protection]:
        """EncryptedPrivateKeyInfo (RFC 5208 section 6) → (PKCS#8 PrivateKeyInfo DER, Protection)."""
        root = tlv.read_all(encrypted_der, where)
        tlv.expect(root, tlv.SEQUENCE, where, "an EncryptedPrivateKeyInfo SEQUENCE")
        fields = list(tlv.children(encrypted_der, root, where))
        if len(fields) != 2:
            raise MalformedError(f"{where}: EncryptedPrivateKeyInfo has 2 fields, found {len(fields)}")
        algorithm = tlv.expect(fields[0], tlv.SEQUENCE, where, "the encryption AlgorithmIdentifier")
        if fields[1].tag & ~tlv.CONSTRUCTED != tlv.OCTET_STRING:
            raise MalformedError(f"{where}: encryptedData must be an OCTET STRING")
        ciphertext = tlv.octets(encrypted_der, fields[1], where)
        return self.decrypt(
            encrypted_der[algorithm.offset:algorithm.next], ciphertext, where, _check_sequence(where, "PrivateKeyInfo")
        )


class _PlaintextError(MalformedError):
    """Decrypted bytes that do not parse: a wrong password as often as corruption."""


def _is_plaintext_error(err: Exception) -> bool:
    return isinstance(err, _PlaintextError)


def _check_sequence(where: str, what: str) -> Callable[[bytes], None]:
    def validate(plain: bytes) -> None:
        try:
            node = tlv.read_all(plain, where)
        except MalformedError as err:
            raise _PlaintextError(f"{where}: decrypted {what} is not valid DER") from err
        if node.tag != tlv.SEQUENCE:
            raise _PlaintextError(f"{where}: decrypted {what} is not a SEQUENCE")

    return validate


def declared_iterations(data: tlv.Buffer, limits: Limits) -> list[tuple[int, str, int]]:
    """(iterations, place, hash chains) for each encryptedData safe of an AuthenticatedSafe, read from its
    AlgorithmIdentifier without decrypting (`pbe.declared_iterations`); what cannot be read is
    left out (decoding reports it in its turn)."""
    declared = []
    try:
        root = tlv.read_all(data, "authSafe")
        for index, info in enumerate(tlv.children(data, root, "authSafe")):
            fields = list(tlv.children(data, info, "authSafe"))
            if len(fields) != 2 or fields[0].tag != tlv.OID:
                break  # decoding refuses the file right here: no need to read further
            kind = data[fields[0].start:fields[0].end]
            if kind in (DATA, ENVELOPED_DATA):
                continue
            if kind != ENCRYPTED_DATA:
                break
            (encrypted_data,) = tlv.children(data, fields[1], "authSafe")
            content_info = list(tlv.children(data, encrypted_data, "authSafe"))[1]
            algorithm = list(tlv.children(data, content_info, "authSafe"))[1]
            where = f"authSafe[{index}] encryptedData"
            iterations, chains = pbe.declared_work(bytes(data[algorithm.offset:algorithm.next]), limits, where)
            declared.append((iterations, where, chains))
    except (MalformedError, ValueError, IndexError):
        pass
    return declared


def decode_authenticated_safe(
    data: tlv.Buffer, keyring: Keyring, counter: BagCounter
) -> tuple[list[Entry], tuple[SafeInfo, ...]]:
    """Decode every ContentInfo of the AuthenticatedSafe; return (entries, safe infos)."""
    where = "authSafe"
    root = tlv.read_all(data, where)
    tlv.expect(root, tlv.SEQUENCE, where, "an AuthenticatedSafe SEQUENCE")
    entries: list[Entry] = []
    infos: list[SafeInfo] = []
    for index, info in enumerate(tlv.children(data, root, where)):
        here = f"authSafe[{index}]"
        if index >= keyring.limits.max_safes:
            raise LimitExceededError(
                f"{here}: more than Limits.max_safes ({keyring.limits.max_safes:,}) safes; "
                "pass limits=Limits(max_safes=...) to allow it"
            )
        tlv.expect(info, tlv.SEQUENCE, here, "a ContentInfo SEQUENCE")
        fields = list(tlv.children(data, info, here))
        if not fields or fields[0].tag != tlv.OID:
            raise MalformedError(f"{here}: a ContentInfo starts with its contentType OID")
        kind = bytes(data[fields[0].start:fields[0].end])
        if len(fields) != 2:
            raise MalformedError(f"{here}: ContentInfo has no content")
        wrapper = tlv.expect(fields[1], tlv.CONTEXT_0, here, "the [0] content")
        inner = list(tlv.children(data, wrapper, here))
        if len(inner) != 1:
            raise MalformedError(f"{here}: [0] content must hold exactly one value")
        if kind == DATA:
            if inner[0].tag & ~tlv.CONSTRUCTED != tlv.OCTET_STRING:
                raise MalformedError(f"{here} data: the content must be an OCTET STRING")
            contents = tlv.octets(data, inner[0], here)
            nesting: list[NestedBags] = []
            found = decode_safe_contents(contents, keyring, counter, f"{here} data", 0, nesting, len(entries))
            infos.append(_info("data", None, entries, found, nesting))
        elif kind == ENCRYPTED_DATA:
            contents, protection = _decrypt_encrypted_data(data, inner[0], keyring, f"{here} encryptedData")
            nesting = []
            found = decode_safe_contents(
                contents, keyring, counter, f"{here} encryptedData", 0, nesting, len(entries)
            )
            infos.append(_info("encryptedData", protection, entries, found, nesting))
        elif kind == ENVELOPED_DATA:
            here = f"{here} envelopedData"
            tlv.expect(inner[0], tlv.SEQUENCE, here, "an EnvelopedData SEQUENCE")
            # import time: cms_envelope loads cryptography's x509; only enveloped safes need it
            from . import cms_envelope

            contents, envelope = cms_envelope.open_envelope(
                bytes(data[inner[0].offset:inner[0].next]), keyring.recipient, limits=keyring.limits,
                ciphers=keyring.ciphers, where=here,
            )
            nesting = []
            found = decode_safe_contents(contents, keyring, counter, here, 0, nesting, len(entries))
            infos.append(_info("envelopedData", None, entries, found, nesting, envelope))
        else:
            raise UnsupportedAlgorithmError(
                f"{here}: unsupported ContentInfo type {tlv.oid_dotted(kind)} "
                "(expected data, encryptedData or envelopedData)"
            )
        entries.extend(found)
    return entries, tuple(infos)


def _info(kind: str, protection: Protection | None, entries: list[Entry], found: list[Entry],
          nesting: list[NestedBags], envelope: EnvelopeInfo | None = None) -> SafeInfo:
    first = len(entries)
    return SafeInfo(kind, protection, len(found), tuple(range(first, first + len(found))), tuple(nesting),
                    envelope)


def _decrypt_encrypted_data(data: tlv.Buffer, node: tlv.Tlv, keyring: Keyring, where: str) -> tuple[bytes, Protection]:
    """EncryptedData (RFC 5652 section 8) → decrypted SafeContents DER and its Protection.

    EncryptedData ::= SEQUENCE { version, EncryptedContentInfo, unprotectedAttrs [1] OPTIONAL }
    EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm,
                                        encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
    """
    tlv.expect(node, tlv.SEQUENCE, where, "an EncryptedData SEQUENCE")
    fields = list(tlv.children(data, node, where))
    if len(fields) < 2:
        raise MalformedError(f"{where}: EncryptedData needs a version and an EncryptedContentInfo")
    tlv.expect(fields[0], tlv.INTEGER, where, "the version INTEGER")
    info = tlv.expect(fields[1], tlv.SEQUENCE, where, "an EncryptedContentInfo SEQUENCE")
    parts = list(tlv.children(data, info, where))
    if len(parts) < 2:
        raise MalformedError(f"{where}: EncryptedContentInfo needs a contentType and an algorithm")
    tlv.expect(parts[0], tlv.OID, where, "the contentType OID")
    algorithm = tlv.expect(parts[1], tlv.SEQUENCE, where, "the contentEncryptionAlgorithm")
    if len(parts) < 3:
        # CVE-2025-69421 class: encryptedContent is OPTIONAL in CMS, but PKCS#12 needs it.
        raise MalformedError(f"{where}: encryptedContent is missing")
    content = parts[2]
    if content.tag not in (tlv.CONTEXT_0_PRIMITIVE, tlv.CONTEXT_0):
        raise MalformedError(f"{where}: encryptedContent must be [0] IMPLICIT OCTET STRING")
    ciphertext = tlv.octets_view(data, content, where)  # as large as the file: not copied
    return keyring.decrypt(
        bytes(data[algorithm.offset:algorithm.next]), ciphertext, where, _check_sequence(where, "SafeContents")
    )


# --- encoding ------------------------------------------------------------------------------


def encode_safe_contents(bags: list[bytes]) -> bytes:
    """SafeContents ::= SEQUENCE OF SafeBag, from encoded bags (one copy)."""
    return b"".join([tlv.header(tlv.SEQUENCE, sum(map(len, bags))), *bags])


def encode_data(safe_contents: bytes) -> bytes:
    """ContentInfo of type data holding a SafeContents (RFC 7292 section 4.1)."""
    return tlv.nest(
        [(tlv.SEQUENCE, _DATA_OID, b""), (tlv.CONTEXT_0, b"", b""), (tlv.OCTET_STRING, b"", b"")], safe_contents
    )


def encode_encrypted_data(algorithm_der: bytes, ciphertext: bytes) -> bytes:
    """ContentInfo of type encryptedData (RFC 5652 section 8; version 0, content type data)."""
    return tlv.nest(
        [
            (tlv.SEQUENCE, _ENCRYPTED_DATA_OID, b""),
            (tlv.CONTEXT_0, b"", b""),
            (tlv.SEQUENCE, tlv.encode(tlv.INTEGER, b"\x00"), b""),  # EncryptedData, version 0
            (tlv.SEQUENCE, _DATA_OID + algorithm_der, b""),  # EncryptedContentInfo
            (tlv.CONTEXT_0_PRIMITIVE, b"", b""),  # encryptedContent [0] IMPLICIT OCTET STRING
        ],
        ciphertext,
    )


def encode_enveloped_data(safe_contents: bytes, recipients: list[tuple[bytes, str]], *, cipher: str,
                          draw: Callable[[int], bytes], ciphers: Provider) -> bytes:
    """ContentInfo of type envelopedData (RFC 5652 section 6) holding ``safe_contents`` for
    ``recipients``, ``(certificate DER, rsa_padding)`` pairs (see `cms_envelope.seal`)."""
    from . import cms_envelope  # import time: as above, only enveloped safes need it

    return cms_envelope.seal(safe_contents, recipients, cipher=cipher, draw=draw, ciphers=ciphers)


_DATA_OID = tlv.encode(tlv.OID, DATA)
_ENCRYPTED_DATA_OID = tlv.encode(tlv.OID, ENCRYPTED_DATA)
