import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * Text sealed with AES-256-GCM (Web Crypto, so Node and Workers alike) under a key derived from a token the
 * database does not hold, such as a portal session's cookie token (the database keeps only its SHA-256): what
 * is stored cannot be read back without the token, and a wrong token fails to open it.
 */

const purposeKey = (token: string, purpose: string) =>
  crypto.subtle.importKey("raw", sha256(utf8ToBytes(`${purpose}\n${token}`)), "AES-GCM", false, ["encrypt", "decrypt"]);

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** Seals `text` for `token` and `purpose`: base64 of a random 12-byte IV followed by the ciphertext and tag. */
export async function sealText(text: string, token: string, purpose: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await purposeKey(token, purpose),
    utf8ToBytes(text),
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return toBase64(out);
}

/** Opens what `sealText` sealed with the same token and purpose; undefined for any other token, or a damaged text. */
export async function openSealedText(sealed: string, token: string, purpose: string): Promise<string | undefined> {
  try {
    const bytes = fromBase64(sealed);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, 12) },
      await purposeKey(token, purpose),
      bytes.slice(12),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
