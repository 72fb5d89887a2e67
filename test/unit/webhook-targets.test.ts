import { describe, expect, it } from "vitest";
import { isPublicAddress, refuseTarget } from "../../gateway/src/webhooks/targets";

describe("webhook targets (SSRF)", () => {
  it.each([
    "http://api.partner.example/hooks",
    "https://127.0.0.1/hooks",
    "https://127.1/hooks",
    "https://0x7f000001/hooks",
    "https://10.1.2.3/hooks",
    "https://172.16.0.1/hooks",
    "https://192.168.1.1/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hooks",
    "https://0.0.0.0/hooks",
    "https://[::1]/hooks",
    "https://[fd00::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://localhost/hooks",
    "https://api.localhost/hooks",
    "https://localhost.:8443/",
    "https://foo.localhost.:8443/",
    "https://localhost../hooks",
    "https://127.0.0.1./hooks",
    "https://metadata.google.internal./hooks",
    "https://intranet./hooks",
    "https://metadata.google.internal/hooks",
    "https://intranet/hooks",
    "https://user:pass@api.partner.example/hooks",
    "ftp://api.partner.example/hooks",
    "not a url",
  ])("refuses %s", (url) => {
    expect(refuseTarget(url, false)).toEqual(expect.any(String));
  });

  it.each([
    "https://api.partner.example/hooks",
    "https://api.partner.example./hooks",
    "https://93.184.215.14/hooks",
    "https://[2606:4700::1111]/x",
  ])("accepts %s", (url) => {
    expect(refuseTarget(url, false)).toBeNull();
  });

  it("allows loopback and plain http only when private targets are allowed", () => {
    expect(refuseTarget("http://127.0.0.1:8080/hooks", true)).toBeNull();
    expect(refuseTarget("ftp://127.0.0.1/hooks", true)).toEqual(expect.any(String));
  });

  it("judges resolved addresses, IPv4-mapped IPv6 as the IPv4 inside", () => {
    expect(isPublicAddress("8.8.8.8")).toBe(true);
    expect(isPublicAddress("::ffff:10.0.0.1")).toBe(false);
    expect(isPublicAddress("127.0.0.53")).toBe(false);
    expect(isPublicAddress("garbage")).toBe(false);
  });
});
