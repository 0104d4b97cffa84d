/**
 * What every operation handler receives: the emulator's state and settings, and the request
 * it answers; and what it returns.
 */
import type { Clock } from "@stowage/core";
import type { Address } from "./addressing.js";
import type { BlobStore } from "./blob-store.js";
import type { Ks3EmulatorLimits, Ks3Quirks } from "./profile.js";
import type { RequestBody } from "./request-body.js";
import type { RequestHeaders } from "./request-headers.js";
import type { EmulatorState } from "./state.js";
import { renderXmlDocument, type XmlContent } from "./xml.js";

/** The emulator's state and settings, shared by all requests. */
export interface EmulatorContext {
  readonly state: EmulatorState;
  readonly blobs: BlobStore;
  readonly quirks: Ks3Quirks;
  readonly limits: Ks3EmulatorLimits;
  readonly clock: Clock;
  /** The region the emulator reports (CreateBucket answers differently in us-east-1). */
  readonly region: string;
  /** Saves the state when the emulator has a data directory; a no-op in memory. */
  persist(): Promise<void>;
}

/** One authenticated request, addressed and ready for its operation. */
export interface Ks3Request {
  readonly method: string;
  readonly address: Address;
  readonly query: URLSearchParams;
  readonly headers: RequestHeaders;
  /** The payload, decoded from its framing and checked against its signature as it is read. */
  body(): RequestBody;
}

/** An answer: status, headers, and an XML document, a byte stream or nothing. */
export interface Ks3Response {
  status: number;
  headers: Record<string, string>;
  body?: string | AsyncIterable<Uint8Array>;
  /** Called with each body chunk once the socket has sent it (lets the blob store reuse read buffers). */
  recycle?: (chunk: Uint8Array) => void;
}

/** A 200 answer with an XML document. */
export function xmlResponse(root: string, content: XmlContent, headers: Record<string, string> = {}): Ks3Response {
  return { status: 200, headers: { "content-type": "application/xml", ...headers }, body: renderXmlDocument(root, content) };
}

/** An answer without a body. */
export function emptyResponse(status: number, headers: Record<string, string> = {}): Ks3Response {
  return { status, headers };
}

/** ISO 8601 with milliseconds, the XML timestamp form (`ks3-api.md` §1.4). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The owner shown in listings: the emulator has one account. */
export const OWNER = [
  ["ID", "stowage-emulator"],
  ["DisplayName", "stowage-emulator"],
] as const;
