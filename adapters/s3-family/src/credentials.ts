import { AccessKeyPair } from "@stowage/core";

/** An access key pair as the signers read it. */
export interface S3Credentials {
  /** Access key id; appears in the `Authorization` header. */
  readonly accessKeyId: string;
  /** Secret access key; only the signers read it, and it must never be logged. */
  readonly secretAccessKey: string;
  /**
   * Temporary credentials' session token (AWS STS), sent as `x-amz-security-token` and signed
   * with the other headers (SigV4 only). A secret like the key: never log it.
   */
  readonly sessionToken?: string;
}

/**
 * Core's {@link AccessKeyPair} (the secret never appears in `util.inspect`, `JSON.stringify`,
 * `toString` or an error's `cause`) in the shape the S3-family signers read.
 */
export class S3CredentialPair extends AccessKeyPair implements S3Credentials {
  /** The secret, for the signers only. Never log or store what this returns. */
  get secretAccessKey(): string {
    return this.revealSecret();
  }
}

/** {@link S3CredentialPair} plus a session token, kept in a private field like the secret. */
export class S3SessionCredentials extends S3CredentialPair {
  readonly #token: string;

  constructor(accessKeyId: string, secret: string, sessionToken: string) {
    super(accessKeyId, secret);
    this.#token = sessionToken;
  }

  /** The session token, for the signers only. Never log or store what this returns. */
  get sessionToken(): string {
    return this.#token;
  }
}
