"""The TLV walker against asn1crypto's parser and encoder as the independent oracle (X.690)."""

import pytest
from asn1crypto import core, parser
from hypothesis import given, settings
from hypothesis import strategies as st

from pkcs12kit import MalformedError, tlv

oids = st.builds(
    lambda first, second, rest: ".".join(map(str, [first, second if first < 2 else second + 40] + rest)),
    st.integers(0, 2), st.integers(0, 39), st.lists(st.integers(0, 2**64), max_size=8),
)


@given(oids)
def test_oid_round_trip_matches_asn1crypto(dotted):
    encoded = core.ObjectIdentifier(dotted).dump()
    node = tlv.read_all(encoded, "oid")
    assert tlv.oid_dotted(encoded[node.start:node.end]) == core.ObjectIdentifier.load(encoded).dotted
    assert tlv.encode_oid(dotted) == encoded


@given(st.binary(max_size=70000))
@settings(max_examples=50)
def test_encode_matches_asn1crypto_der(payload):
    assert tlv.encode(tlv.OCTET_STRING, payload) == core.OctetString(payload).dump()


@given(st.lists(st.binary(max_size=300), max_size=20))
def test_children_of_a_sequence(items):
    der = core.SequenceOf(spec=core.OctetString, value=items).dump()
    root = tlv.read_all(der, "seq")
    assert [der[c.start:c.end] for c in tlv.children(der, root, "seq")] == items
    # Each child's element slice is a full TLV that asn1crypto parses back.
    assert [core.OctetString.load(der[c.offset:c.next]).native for c in tlv.children(der, root, "seq")] == items


def _indefinite(tag: int, *parts: bytes) -> bytes:
    return bytes((tag, 0x80)) + b"".join(parts) + b"\x00\x00"


def test_ber_indefinite_lengths_and_chunked_octet_strings():
    chunks = [b"abc", b"", b"defgh", b"ij"]
    chunked = _indefinite(0x24, *(core.OctetString(c).dump() for c in chunks))  # constructed OCTET STRING
    ber = _indefinite(0x30, core.Integer(3).dump(), chunked, _indefinite(0x30, core.Null().dump()))
    # asn1crypto's parser agrees on the outer extent and on the joined string
    parsed = parser.parse(ber)
    root = tlv.read_all(ber, "ber")
    assert root.next == len(ber) and parsed[4] == ber[root.start:root.end] and parsed[5] == b"\x00\x00"
    kids = list(tlv.children(ber, root, "ber"))
    assert [k.tag for k in kids] == [0x02, 0x24, 0x30]
    assert tlv.octets(ber, kids[1], "ber") == b"".join(chunks) == core.OctetString.load(chunked).native


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "truncated"),
        (b"\x30", "truncated length"),
        (b"\x30\x05\x02\x01", "claims 5 bytes"),
        (b"\x30\x84\xff\xff\xff\xff", "claims"),
        (b"\x04\x80abc\x00\x00", "indefinite length on a primitive"),
        (b"\x30\x80\x02\x01\x01", "no end-of-contents"),
        (b"\x30\x00\x00", "unexpected bytes after"),
        (b"\x30\xff", "invalid length"),
    ],
)
def test_malformed_input_is_reported_with_a_place(data, message):
    with pytest.raises(MalformedError, match=message):
        tlv.read_all(data, "PFX")


def test_nesting_is_bounded():
    deep = b"\x30\x80" * 100 + b"\x00\x00" * 100
    with pytest.raises(MalformedError, match="nesting deeper than"):
        tlv.read_all(deep, "PFX")


def test_content_and_bag_type_oids_are_asn1cryptos():
    """pkcs12kit.asn1 names the content, bag and certificate types itself (the container
    modules need nothing else of asn1crypto); the OIDs are asn1crypto's, name for name."""
    from asn1crypto import cms, pkcs12

    from pkcs12kit.asn1 import BAG_TYPES, CERT_TYPES, CONTENT_TYPES

    for table, id_class in ((CONTENT_TYPES, cms.ContentType), (BAG_TYPES, pkcs12.BagId),
                            (CERT_TYPES, pkcs12.CertId)):
        assert table == {name: id_class.unmap(name) for name in table}
