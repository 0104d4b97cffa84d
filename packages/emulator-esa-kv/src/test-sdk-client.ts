// Test helper: the official SDK, unmodified, pointed at a running emulator.
import * as EsaModule from "@alicloud/esa20240910";
import * as OpenApiModule from "@alicloud/openapi-core";
import type { RunningEsaKvEmulator } from "./server.js";

// The SDK ships CommonJS with `exports.default = Client`. Under NodeNext typing the class sits
// at `.default.default`; at run time a bundler's interop may already have unwrapped one level.
type EsaClientClass = (typeof EsaModule.default)["default"];
type OpenApiClientClass = (typeof OpenApiModule.default)["default"];

function unwrapDefault<T>(module: unknown): T {
  const outer = (module as { default: unknown }).default;
  return (typeof outer === "function" ? outer : (outer as { default: unknown }).default) as T;
}

/** The SDK's request and response models. */
export const esa = EsaModule;
/** The OpenAPI core's Config and helpers. */
export const openApi = OpenApiModule;

/** Options for {@link sdkClient}. */
export interface SdkClientOptions {
  accessKeySecret?: string;
  accessKeyId?: string;
  signatureAlgorithm?: "v2";
}

/** Builds the official ESA client for `emulator` over plain HTTP. */
export function sdkClient(emulator: RunningEsaKvEmulator, options: SdkClientOptions = {}): InstanceType<EsaClientClass> {
  const Client = unwrapDefault<EsaClientClass>(EsaModule);
  const config = new OpenApiModule.$OpenApiUtil.Config({
    accessKeyId: options.accessKeyId ?? emulator.accessKeyId,
    accessKeySecret: options.accessKeySecret ?? emulator.accessKeySecret,
    endpoint: new URL(emulator.endpoint).host,
    protocol: "http",
    regionId: "cn-hangzhou",
    ...(options.signatureAlgorithm ? { signatureAlgorithm: options.signatureAlgorithm } : {}),
  });
  return new Client(config);
}

/** A generic OpenAPI client (for OpenPlatform AuthorizeFileUpload) pointed at `emulator`. */
export function openApiClient(emulator: RunningEsaKvEmulator): InstanceType<OpenApiClientClass> {
  const Client = unwrapDefault<OpenApiClientClass>(OpenApiModule);
  const config = new OpenApiModule.$OpenApiUtil.Config({
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    endpoint: new URL(emulator.openPlatformEndpoint).host,
    protocol: "http",
    regionId: "cn-hangzhou",
  });
  return new Client(config);
}

/** The SDK error's documented fields, or a failure if `promise` resolved. */
export async function sdkError(promise: Promise<unknown>): Promise<{ code: string; statusCode: number; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; statusCode?: number; data?: Record<string, unknown> };
    return { code: String(e.code), statusCode: Number(e.statusCode), data: e.data ?? {} };
  }
  throw new Error("expected the SDK call to reject");
}
