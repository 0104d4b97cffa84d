/**
 * Test helper: raw HTTP requests to an emulator, signed with @stowage/adapter-s3-family's V2
 * signer (`KSS AK:sig` or `AWS AK:sig`), or with any Authorization a test chooses.
 */
import { request } from "node:http";
import { kssV2Authorization, type V2HeaderPrefix } from "@stowage/adapter-s3-family";
import type { RunningKs3Emulator } from "./options.js";

export interface RawRequest {
  method: string;
  /** Encoded path, e.g. `/bucket/key`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Host header; default the emulator's host:port. */
  host?: string;
  /** V2 resource to sign; default `path` (path style). */
  resource?: string;
  /** `x-kss-` (KSS, default) or `x-amz-` (AWS); `false` sends no Authorization. */
  sign?: V2HeaderPrefix | false;
  /** Signing credentials, default the emulator's. */
  accessKeyId?: string;
  secret?: string;
  /** Request date, default now. */
  date?: Date;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  /** `<Code>` of an error document, if any. */
  code: string | undefined;
}

export function rawRequest(emulator: Pick<RunningKs3Emulator, "endpoint" | "accessKeyId" | "secretAccessKey">, req: RawRequest): Promise<RawResponse> {
  const url = new URL(emulator.endpoint);
  const query = new URLSearchParams(req.query ?? {});
  const qs = query.toString().replace(/=(&|$)/g, "$1");
  const headers: Record<string, string> = { date: (req.date ?? new Date()).toUTCString(), ...(req.headers ?? {}) };
  if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
  if (req.sign !== false) {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    headers["authorization"] = kssV2Authorization(
      { method: req.method, resource: req.resource ?? req.path, query, headers: lower, headerPrefix: req.sign ?? "x-kss-" },
      req.accessKeyId ?? emulator.accessKeyId,
      req.secret ?? emulator.secretAccessKey,
    );
  }
  headers["host"] = req.host ?? url.host;
  return new Promise((resolve, reject) => {
    const r = request(
      { host: url.hostname, port: url.port, method: req.method, path: qs === "" ? req.path : `${req.path}?${qs}`, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          const text = body.toString("utf8");
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(",") : v;
          resolve({ status: res.statusCode ?? 0, headers: out, body, text, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] });
        });
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}
