import { inspect } from "node:util";

/** An access key pair as the signers read it. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * An {@link S3Credentials} whose secret sits in a private field behind a getter, so it never
 * appears in `util.inspect`, `JSON.stringify`, `toString` or an error's `cause`.
 */
export class S3CredentialPair implements S3Credentials {
  /** The access key id (not a secret: it travels in every `Authorization` header). */
  readonly accessKeyId: string;
  readonly #secretAccessKey: string;

  constructor(accessKeyId: string, secretAccessKey: string) {
    this.accessKeyId = accessKeyId;
    this.#secretAccessKey = secretAccessKey;
  }

  /** The secret, for the signers only. Never log or store what this returns. */
  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  /** Only the key id; the secret is never serialised. */
  toJSON(): { accessKeyId: string } {
    return { accessKeyId: this.accessKeyId };
  }

  /** Only the key id; the secret is never printed. */
  toString(): string {
    return `S3CredentialPair(${this.accessKeyId})`;
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](): string {
    return this.toString();
  }
}
