/** This SDK's version, sent in `User-Agent` (test/sdk checks it equals package.json's). */
export const sdkVersion = "0.1.0";
