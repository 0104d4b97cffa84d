/**
 * An access key pair taken from a provider's configuration or its environment variables,
 * whose secret never shows up where objects get printed.
 */
import { inspect } from "node:util";
import { StorageError } from "./storage-error.js";

/**
 * An access key id and its secret. The secret lives in a private field, so it never appears
 * in `util.inspect`, `JSON.stringify`, `toString` or an error's `cause`; only a signer reads
 * it, through {@link AccessKeyPair.revealSecret}. What gets printed is the class's name and
 * the key id, e.g. `AccessKeyPair(AKID)`; a subclass prints its own name.
 */
export class AccessKeyPair {
  /** The access key id (not a secret: it travels in every `Authorization` header). */
  readonly accessKeyId: string;
  readonly #secret: string;

  constructor(accessKeyId: string, secret: string) {
    this.accessKeyId = accessKeyId;
    this.#secret = secret;
  }

  /** The secret, for the signer only. Never log or store what this returns. */
  revealSecret(): string {
    return this.#secret;
  }

  /** Only the key id; the secret is never serialised. */
  toJSON(): {
    /** The access key id. */
    accessKeyId: string;
  } {
    return { accessKeyId: this.accessKeyId };
  }

  /** Only the key id, under the class's name; the secret is never printed. */
  toString(): string {
    return `${this.constructor.name}(${this.accessKeyId})`;
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Where a provider's access key pair comes from, for {@link resolveAccessKeyPair}. */
export interface AccessKeySource {
  /** The provider id, which starts the message: `ks3 config: no credentials; …`. */
  readonly provider: string;
  /** The configuration field of the key id, e.g. `accessKeyId`. */
  readonly idField: string;
  /** The configuration field of the secret, e.g. `secretAccessKey`. */
  readonly secretField: string;
  /** The environment variable read when `idField` is not configured. */
  readonly idVariable: string;
  /** The environment variable read when `secretField` is not configured. */
  readonly secretVariable: string;
  /** `providerCode` of the `Unauthorized` error, where the adapter has always set one. */
  readonly providerCode?: string;
}

/**
 * The pair from `configured` (each value as read from the source's fields), falling back
 * field by field to the source's variables in `env`. Raises `Unauthorized` when the id or
 * the secret is absent or empty, naming the fields and variables to set (never a value).
 */
export function resolveAccessKeyPair(
  source: AccessKeySource,
  configured: { readonly id?: string | undefined; readonly secret?: string | undefined },
  env: NodeJS.ProcessEnv,
): AccessKeyPair {
  const id = configured.id ?? env[source.idVariable];
  const secret = configured.secret ?? env[source.secretVariable];
  if (!id || !secret) {
    throw new StorageError({
      code: "Unauthorized",
      providerCode: source.providerCode,
      message: `${source.provider} config: no credentials; set ${source.idField} and ${source.secretField} or ${source.idVariable} and ${source.secretVariable}`,
    });
  }
  return new AccessKeyPair(id, secret);
}
