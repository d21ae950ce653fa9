"""The value a decoded file becomes: `PKCS12`, with its entries and how it was protected.

Exports: PKCS12, SafeInfo, NestedBags; and, so that one import gives the whole model, the entries
(KeyEntry, CertEntry, CrlEntry, SecretEntry, UnknownBag, Attribute) and the protection values
(MacInfo, Protection) defined in `entries`, `attributes` and `protection`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from typing import TYPE_CHECKING, TypeVar

from . import chain as _chain
from . import profiles as _profiles
from .attributes import Attribute, make_attributes
from .entries import CertEntry, CrlEntry, KeyEntry, SecretEntry, UnknownBag
from .protection import EnvelopeInfo, MacInfo, Protection, SignatureInfo

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .entries import Entry
    from .inputs import CertificateInput, CrlInput, PrivateKeyInput
    from .pkcs8 import RandomSource
    from .profiles import Profile

_E = TypeVar("_E")

__all__ = [
    "MacInfo",
    "Protection",
    "SignatureInfo",
    "EnvelopeInfo",
    "Attribute",
    "KeyEntry",
    "CertEntry",
    "CrlEntry",
    "SecretEntry",
    "UnknownBag",
    "SafeInfo",
    "NestedBags",
    "PKCS12",
]


@dataclasses.dataclass(frozen=True)
class NestedBags:
    """A safeContentsBag (RFC 7292 section 4.2.6): SafeBags nested inside another SafeContents.

    ``PKCS12.entries`` lists nested entries in file order among the others (flattened); this
    records where the nesting was, so that ``layout="as-decoded"`` writes it back: the bag holds
    the ``count`` entries from index ``first`` of ``PKCS12.entries`` (nested ones included; an
    empty bag sits just before entry ``first``), has bagAttributes ``attributes``, and holds the
    deeper safeContentsBags ``nested``.
    """

    first: int
    count: int
    attributes: tuple[Attribute, ...] = ()
    nested: tuple["NestedBags", ...] = ()


@dataclasses.dataclass(frozen=True)
class SafeInfo:
    """One ContentInfo of the AuthenticatedSafe (RFC 7292 section 4.1): how it was protected.

    ``kind`` is ``"data"``, ``"encryptedData"`` or ``"envelopedData"`` (public-key privacy mode);
    ``protection`` None for a data or envelopedData safe; ``bag_count`` the number of entries
    decoded from it; ``entries`` their indexes in ``PKCS12.entries`` (the encoder's
    ``layout="as-decoded"`` rebuilds the same safes from it); ``nesting`` the safeContentsBags at
    its top level (`NestedBags`), empty when it had none; ``envelope`` an `EnvelopeInfo` for an
    envelopedData safe (how it was opened), else None.
    """

    kind: str
    protection: Protection | None
    bag_count: int
    entries: tuple[int, ...] = dataclasses.field(default=(), repr=False)
    nesting: tuple[NestedBags, ...] = dataclasses.field(default=(), repr=False)
    envelope: EnvelopeInfo | None = None


@dataclasses.dataclass(frozen=True, eq=False)
class PKCS12:
    """The contents of a PKCS#12 file (RFC 7292): every bag, in file order, plus how it was protected.

    Equality compares the entries of each kind, in order (their DER and attributes), so a file
    re-protected under another profile, or laid out in other safes, equals the original.

    - ``entries``: every bag in file order (nested safeContents bags flattened).
    - ``keys``, ``certificates``, ``crls``, ``secrets``, ``unknown_bags``: the entries by kind.
    - ``mac``: `MacInfo`, or None for a file without integrity protection.
    - ``mac_verified``: True when a MAC was present and verified.
    - ``signature``: `SignatureInfo` for a file in public-key integrity mode (the authenticated
      safe is a CMS SignedData, RFC 7292 section 3.1), else None; ``signer`` its certificate.
    - ``integrity``: ``"signature"``, ``"pbmac1"``, ``"mac"`` or None (no integrity protection).
    - ``safes``: one `SafeInfo` per ContentInfo of the AuthenticatedSafe.
    - ``password_encoding``: which encoding of the password opened the file: ``"utf-16"``
      (standard), ``"empty"``/``"absent"`` (the two empty forms), ``"openssl-legacy"`` (OpenSSL
      before 1.1.0 widened each UTF-8 byte); None when no password was needed.
    - ``key``, ``certificate``, ``chain``: the identity key, its certificate, and its issuers.
    - ``decoded``: True for a value `loads` returned (it then has a `profile`).
    - ``trailing_zeros``: how many zero bytes followed the PFX in the input (Windows writes some
      files padded with 8; .NET, OpenSSL and cryptography ignore them, and so does `loads`).
    """

    entries: tuple[Entry, ...] = ()
    mac: MacInfo | None = dataclasses.field(default=None, compare=False)
    mac_verified: bool = dataclasses.field(default=False, compare=False)
    safes: tuple[SafeInfo, ...] = dataclasses.field(default=(), compare=False)
    password_encoding: str | None = dataclasses.field(default=None, compare=False)
    decoded: bool = dataclasses.field(default=False, compare=False, repr=False)
    signature: SignatureInfo | None = dataclasses.field(default=None, compare=False, repr=False)
    trailing_zeros: int = dataclasses.field(default=0, compare=False, repr=False)

    def _of(self, kind: type[_E]) -> tuple[_E, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, kind))

    def _content(self) -> tuple[tuple[Entry, ...], ...]:
        return (self.keys, self.certificates, self.crls, self.secrets, self.unknown_bags)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PKCS12):
            return NotImplemented
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())

    @property
    def keys(self) -> tuple[KeyEntry, ...]:
        return self._of(KeyEntry)

    @property
    def certificates(self) -> tuple[CertEntry, ...]:
        return self._of(CertEntry)

    @property
    def crls(self) -> tuple[CrlEntry, ...]:
        return self._of(CrlEntry)

    @property
    def secrets(self) -> tuple[SecretEntry, ...]:
        return self._of(SecretEntry)

    @property
    def unknown_bags(self) -> tuple[UnknownBag, ...]:
        return self._of(UnknownBag)

    @property
    def integrity(self) -> str | None:
        """How the file's integrity was protected: ``"signature"`` (public-key integrity mode),
        ``"pbmac1"`` (RFC 9579), ``"mac"`` (the classic HMAC of RFC 7292 section 4) or None."""
        if self.signature is not None:
            return "signature"
        if self.mac is not None:
            return "pbmac1" if self.mac.kind == "pbmac1" else "mac"
        return None

    @property
    def signer(self) -> CertEntry | None:
        """The certificate that signed the file (public-key integrity mode), else None."""
        if self.signature is None or self.signature.signer is None:
            return None
        return CertEntry(self.signature.signer)

    @property
    def key(self) -> KeyEntry | None:
        """The identity key: the first key entry (None in a trust store)."""
        keys = self.keys
        return keys[0] if keys else None

    # Computed once per value (cached in the instance's __dict__, which a frozen dataclass allows
    # cached_property to write): `info`, `check` and the health findings all ask for both.
    @functools.cached_property
    def certificate(self) -> CertEntry | None:
        """The identity key's certificate, paired by localKeyId, else by public key; else the
        first certificate that issues no other certificate in the file (see `chain`)."""
        return _chain.identity_certificate(self)

    @functools.cached_property
    def chain(self) -> tuple[CertEntry, ...]:
        """The issuers of `certificate`, leaf → root, found by name and AKI/SKI in the file."""
        leaf = self.certificate
        return _chain.issuers(leaf, self.certificates) if leaf is not None else ()

    @property
    def profile(self) -> Profile | None:
        """The encode `Profile` this decoded file matches: a named one (``MODERN`` ...) when its
        protections, MAC and safe layout are exactly that profile's, else a ``"custom"`` profile
        with layout ``"as-decoded"``, so that ``dumps(p12, pw, profile=p12.profile)`` rewrites
        the same safes, bag order, algorithms and iteration counts. None for a PKCS12 built in
        memory (it has no protection yet). See `profiles.profile_of`."""
        return _profiles.profile_of(self)

    @classmethod
    def build(
        cls,
        key: KeyEntry | PrivateKeyInput | None = None,
        certificate: CertEntry | CertificateInput | None = None,
        chain: Iterable[CertEntry | CertificateInput] = (),
        friendly_name: str | None = None,
        *,
        local_key_id: bytes | bool | None = True,
        chain_friendly_names: Iterable[str | None] = (),
        crls: Iterable[CrlEntry | CrlInput] = (),
        secrets: Iterable[SecretEntry] = (),
    ) -> "PKCS12":
        """A PKCS12 laid out as ``openssl pkcs12 -export`` does: the certificate, its chain, then
        the key (RFC 7292).

        ``key``, ``certificate`` and each of ``chain`` may be asn1crypto objects, ``cryptography``
        objects, PEM/DER bytes or text, or ready entries; a ready `KeyEntry`/`CertEntry` is kept
        exactly as it is (its own attributes; ``friendly_name`` and ``local_key_id`` are not added
        to it). ``friendly_name`` goes on the key and its certificate. ``local_key_id``: True (default) for SHA-1 of the certificate DER on both —
        OpenSSL's choice, and what importers pair them by; bytes for an explicit id; None/False for
        none. ``chain_friendly_names`` names chain certificates in order (OpenSSL ``-caname``).
        ``crls`` take CRL inputs or CrlEntry values; ``secrets`` SecretEntry values.
        """
        entries: list[Entry] = []
        leaf = None
        if certificate is not None:
            leaf = certificate if isinstance(certificate, CertEntry) else CertEntry.from_certificate(certificate)
        key_id = None
        if local_key_id is True:
            key_id = hashlib.sha1(leaf.der).digest() if (leaf is not None and key is not None) else None
        elif local_key_id:
            key_id = bytes(local_key_id)
        if leaf is not None:
            if not isinstance(certificate, CertEntry):
                leaf = CertEntry(leaf.der, make_attributes(friendly_name, key_id))
            entries.append(leaf)
        names = list(chain_friendly_names or ())
        for index, item in enumerate(chain):
            if isinstance(item, CertEntry):
                entries.append(item)
            else:
                name = names[index] if index < len(names) else None
                entries.append(CertEntry.from_certificate(item, friendly_name=name))
        entries.extend(item if isinstance(item, CrlEntry) else CrlEntry.from_crl(item) for item in crls)
        for secret in secrets:
            if not isinstance(secret, SecretEntry):
                raise TypeError(f"secrets must be SecretEntry values, not {type(secret).__name__}")
            entries.append(secret)
        if key is not None:
            entries.append(key if isinstance(key, KeyEntry) else
                           KeyEntry.from_key(key, friendly_name=friendly_name, local_key_id=key_id))
        return cls(tuple(entries))

    @classmethod
    def trust_store(
        cls, certificates: Iterable[CertEntry | CertificateInput], friendly_names: Iterable[str | None] = (), *,
        usage: str = "2.5.29.37.0",
    ) -> "PKCS12":
        """A Java-style trust store: certificates only, each marked with the Oracle trusted-key-usage
        attribute (2.16.840.1.113894.746875.1.1; ``usage`` defaults to anyExtendedKeyUsage), as
        keytool and cryptography's ``serialize_java_truststore`` write. Friendly names become
        keytool aliases; a certificate without one is named after its subject's common name."""
        names = list(friendly_names or ())
        entries = []
        for index, item in enumerate(certificates):
            cert = CertEntry.from_certificate(item.der if isinstance(item, CertEntry) else item)
            name = names[index] if index < len(names) else None
            if name is None:
                common = cert.certificate.subject.native.get("common_name")
                name = common if isinstance(common, str) else f"cert-{index + 1}"
            entries.append(CertEntry.from_certificate(cert.der, friendly_name=name, trusted_usage=usage))
        return cls(tuple(entries))

    def to_pem(
        self, password: str | bytes | None = None, *, protection: Protection | None = None, random: RandomSource = None
    ) -> str:
        """Every key (encrypted when a password is given, see `KeyEntry.to_pem`), then every
        certificate and CRL in file order, as one PEM bundle."""
        parts = [key.to_pem(password, protection=protection, random=random) for key in self.keys]
        parts += [entry.to_pem() for entry in self.entries if isinstance(entry, (CertEntry, CrlEntry))]
        return "".join(parts)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(group)} {name}"
            for name, group in (
                ("keys", self.keys),
                ("certificates", self.certificates),
                ("crls", self.crls),
                ("secrets", self.secrets),
                ("unknown bags", self.unknown_bags),
            )
            if group
        )
        return f"PKCS12({counts or 'empty'}, mac={self.mac!r})"
