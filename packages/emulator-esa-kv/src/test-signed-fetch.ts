// Test helper: a raw V3-signed request, signed by the official SDK's own OpenApiUtil (not by
// the emulator's code), so tests can send what the SDK would not: tampered bodies, replays,
// unknown actions.
import { createHash, randomUUID } from "node:crypto";
import { openApi } from "./test-sdk-client.js";
import type { RunningEsaKvEmulator } from "./server.js";

/** What to send. */
export interface RawRequest {
  action: string;
  version?: string;
  method?: "GET" | "POST";
  query?: Record<string, string>;
  /** Form body to sign. */
  form?: Record<string, string>;
  /** Form body to send instead of the signed one (tampering). */
  sendForm?: Record<string, string>;
  nonce?: string;
  date?: string;
  secret?: string;
}

/** Signs a request with the SDK's getAuthorization and returns the init for `fetch`. */
export function signedRequest(emulator: Pick<RunningEsaKvEmulator, "endpoint" | "accessKeyId" | "accessKeySecret">, raw: RawRequest): { url: string; init: RequestInit } {
  const host = new URL(emulator.endpoint).host;
  const body = raw.form ? new URLSearchParams(raw.form).toString() : "";
  const headers: Record<string, string> = {
    host,
    "x-acs-action": raw.action,
    "x-acs-version": raw.version ?? "2024-09-10",
    "x-acs-date": raw.date ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    "x-acs-signature-nonce": raw.nonce ?? randomUUID(),
    "x-acs-content-sha256": createHash("sha256").update(body).digest("hex"),
  };
  if (raw.form) headers["content-type"] = "application/x-www-form-urlencoded";
  const method = raw.method ?? "POST";
  const query = raw.query ?? {};
  headers.Authorization = openApi.OpenApiUtil.getAuthorization(
    { pathname: "/", method, query, headers } as never,
    "ACS3-HMAC-SHA256",
    headers["x-acs-content-sha256"] as string,
    emulator.accessKeyId,
    raw.secret ?? emulator.accessKeySecret,
  );
  const { host: _host, ...sendHeaders } = headers;
  const sent = raw.sendForm ? new URLSearchParams(raw.sendForm).toString() : body;
  const search = new URLSearchParams(query).toString();
  return {
    url: `${emulator.endpoint}/${search ? `?${search}` : ""}`,
    init: { method, headers: sendHeaders, ...(method === "POST" && sent ? { body: sent } : {}) },
  };
}

/** Sends {@link signedRequest} and returns status, headers and the parsed JSON body. */
export async function sendSigned(
  emulator: Pick<RunningEsaKvEmulator, "endpoint" | "accessKeyId" | "accessKeySecret">,
  raw: RawRequest,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const { url, init } = signedRequest(emulator, raw);
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
