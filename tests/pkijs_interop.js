// PKI.js (npm "pkijs") as an independent producer and reader of RFC 7292's public-key modes,
// for tests/test_public_key_modes.py. Run with NODE_PATH pointing at an `npm install pkijs`.
//
//   node pkijs_interop.js write OUT.p12 SIGNER_KEY.der SIGNER_CERT.der RECIPIENT_CERT.der ITEM.der...
//     a PFX signed by SIGNER (integrityMode 1, SignedData) whose one safe is an EnvelopedData
//     (privacyMode 2, AES-256-CBC) for RECIPIENT holding a certBag per ITEM certificate and a
//     keyBag with SIGNER_KEY (PKCS#8).
//   node pkijs_interop.js read IN.p12 RECIPIENT_KEY.der RECIPIENT_CERT.der
//     verifies the SignedData (PKI.js checks the signature and messageDigest, not the chain), decrypts every
//     envelopedData safe and prints JSON {bags: [{type, der(hex)}]}.
"use strict";
const fs = require("fs");
const { webcrypto } = require("crypto");
const asn1js = require("asn1js");
const pkijs = require("pkijs");

pkijs.setEngine("node", new pkijs.CryptoEngine({ name: "node", crypto: webcrypto }));

const buffer = (path) => { const b = fs.readFileSync(path); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); };
const certificate = (path) => pkijs.Certificate.fromBER(buffer(path));

async function importSigningKey(der, cert) {
  const algorithmOid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  if (algorithmOid === "1.2.840.10045.2.1") {
    const curve = { "1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521" }[
      cert.subjectPublicKeyInfo.algorithm.algorithmParams.valueBlock.toString()];
    return webcrypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: curve }, false, ["sign"]);
  }
  return webcrypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
}

async function write(out, keyPath, certPath, recipientPath, items) {
  const signerCert = certificate(certPath);
  const keyDer = buffer(keyPath);
  const bags = items.map((path) => new pkijs.SafeBag({
    bagId: "1.2.840.113549.1.12.10.1.3",
    bagValue: new pkijs.CertBag({ parsedValue: certificate(path) }),
  }));
  bags.push(new pkijs.SafeBag({
    bagId: "1.2.840.113549.1.12.10.1.1",
    bagValue: pkijs.PrivateKeyInfo.fromBER(keyDer),
  }));
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 1,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: { safeContents: [{ privacyMode: 2, value: new pkijs.SafeContents({ safeBags: bags }) }] },
      }),
    },
  });
  await pfx.parsedValue.authenticatedSafe.makeInternalValues({
    safeContents: [{ encryptingCertificate: certificate(recipientPath), encryptionAlgorithm: { name: "AES-CBC", length: 256 } }],
  });
  await pfx.makeInternalValues({
    signingCertificate: signerCert,
    privateKey: await importSigningKey(keyDer, signerCert),
    hashAlgorithm: "SHA-256",
  });
  fs.writeFileSync(out, Buffer.from(pfx.toSchema().toBER(false)));
}

async function read(input, keyPath, certPath) {
  const pfx = pkijs.PFX.fromBER(buffer(input));
  // PFX.parseInternalValues of pkijs 4.0.0 refuses every signed PFX, its own included: it asserts
  // that the eContent OCTET STRING has a property named "eContent". So the SignedData branch is
  // done here with the same PKI.js calls it would make: SignedData.verify, then the eContent.
  if (pfx.authSafe.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error("not a signed PFX");
  const signed = new pkijs.SignedData({ schema: pfx.authSafe.content });
  if (!(await signed.verify({ signer: 0, checkChain: false }))) throw new Error("PKI.js: the signature does not verify");
  const safe = pkijs.AuthenticatedSafe.fromBER(signed.encapContentInfo.eContent.getValue());
  const recipient = { recipientCertificate: certificate(certPath), recipientKey: buffer(keyPath) };
  await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => recipient) });
  const bags = [];
  for (const contents of safe.parsedValue.safeContents) {
    for (const bag of contents.value.safeBags) {
      const value = bag.bagId === "1.2.840.113549.1.12.10.1.3" ? bag.bagValue.parsedValue : bag.bagValue;
      bags.push({ type: bag.bagId, der: Buffer.from(value.toSchema().toBER(false)).toString("hex") });
    }
  }
  process.stdout.write(JSON.stringify({ bags }));
}

const [mode, ...args] = process.argv.slice(2);
(mode === "write" ? write(args[0], args[1], args[2], args[3], args.slice(4)) : read(...args)).catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
