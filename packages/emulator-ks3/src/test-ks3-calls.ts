/** Test helper: KS3 calls over raw KSS-signed requests, for the behaviour tests. */
import type { RunningKs3Emulator } from "./options.js";
import { rawRequest, type RawResponse } from "./test-raw-client.js";

export function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

export function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, "g"))].map((m) => m[1]!);
}

export function putObject(emulator: RunningKs3Emulator, bucket: string, key: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(emulator, { method: "PUT", path: `/${bucket}/${key}`, body, headers });
}

export function getObject(emulator: RunningKs3Emulator, bucket: string, key: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(emulator, { method: "GET", path: `/${bucket}/${key}`, headers });
}

export async function initiate(emulator: RunningKs3Emulator, bucket: string, key: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await rawRequest(emulator, { method: "POST", path: `/${bucket}/${key}`, query: { uploads: "" }, headers });
  const id = tag(res.text, "UploadId");
  if (res.status !== 200 || id === undefined) throw new Error(`initiate failed: ${res.status} ${res.text}`);
  return id;
}

export function uploadPart(
  emulator: RunningKs3Emulator,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number | string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return rawRequest(emulator, { method: "PUT", path: `/${bucket}/${key}`, query: { partNumber: String(partNumber), uploadId }, body, headers });
}

export function uploadPartCopy(
  emulator: RunningKs3Emulator,
  bucket: string,
  key: string,
  uploadId: string,
  partNumber: number,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return rawRequest(emulator, { method: "PUT", path: `/${bucket}/${key}`, query: { partNumber: String(partNumber), uploadId }, headers });
}

export function complete(emulator: RunningKs3Emulator, bucket: string, key: string, uploadId: string, parts: Array<[number, string]>): Promise<RawResponse> {
  const body = `<CompleteMultipartUpload>${parts.map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
  return rawRequest(emulator, { method: "POST", path: `/${bucket}/${key}`, query: { uploadId }, body, headers: { "content-type": "text/xml" } });
}

export function abort(emulator: RunningKs3Emulator, bucket: string, key: string, uploadId: string): Promise<RawResponse> {
  return rawRequest(emulator, { method: "DELETE", path: `/${bucket}/${key}`, query: { uploadId } });
}
